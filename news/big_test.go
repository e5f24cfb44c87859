package news

import (
	"strings"
	"testing"
	"time"
)

// TestBigPages: a page with far more elements than a news page is
// refused quickly rather than scored for seconds; a long but plain
// article is still extracted.
func TestBigPages(t *testing.T) {
	for _, tt := range []struct {
		name string
		page string
		ok   bool
	}{
		{"long article", "<html><body><article>" + strings.Repeat("<p>The council met on Monday and agreed the plan for the harbour.</p>", 5000) + "</article></body></html>", true},
		{"too many paragraphs", "<html><body><article>" + strings.Repeat("<p>The council met on Monday and agreed the plan.</p>", 100000) + "</article></body></html>", false},
		{"too many links", "<html><body>" + strings.Repeat(`<a href="/x">link text</a> `, 200000) + "</body></html>", false},
		{"deep nesting", "<html><body>" + strings.Repeat("<div>", 50000) + "<p>Text here.</p>" + strings.Repeat("</div>", 50000) + "</body></html>", false},
	} {
		start := time.Now()
		p, err := Extract([]byte(tt.page), "text/html", nil)
		t.Logf("%s (%d KB): %v, %v", tt.name, len(tt.page)>>10, time.Since(start), err)
		if tt.ok != (err == nil) || (tt.ok && len(p.Paragraphs) != 5000) {
			t.Errorf("Extract(%s) = %v; want ok %v", tt.name, err, tt.ok)
		}
	}
}
