package live

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/verbatim-bot/verbatim/news"
)

func TestPageErrorRefusal(t *testing.T) {
	fetch := func(kind string, status int) error {
		return &news.FetchError{URL: "https://example.com/x", Kind: kind, Status: status, Err: errors.New("boom")}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"blocked", fetch(news.KindBlocked, 0), "that address is not one I may fetch (only public http and https addresses)"},
		{"timeout", fetch(news.KindTimeout, 0), "the site took too long to answer"},
		{"too large", fetch(news.KindTooLarge, 0), "the page is too large"},
		{"redirects", fetch(news.KindRedirects, 0), "the page redirects too many times"},
		{"status", fetch(news.KindStatus, 410), "the site answered HTTP 410"},
		{"parse", fetch(news.KindParse, 0), "that is not a web page with an article"},
		{"network", fetch(news.KindNetwork, 0), "the site could not be reached"},
		{"too short", fmt.Errorf("https://example.com/x: %w (12 words)", news.ErrTooShort), fmt.Sprintf("the page holds too little article text (at least %d words are needed)", news.MinWords)},
		{"other", context.Canceled, "the page could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &PageError{Err: tt.err}
			if got := e.Refusal(); got != tt.want {
				t.Errorf("Refusal() = %q; want %q", got, tt.want)
			}
			if !errors.Is(e, tt.err) {
				t.Errorf("PageError does not unwrap to %v", tt.err)
			}
		})
	}
}
