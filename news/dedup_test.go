package news

import (
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://News.Example.com/a/story?utm_source=rss&utm_medium=feed", "https://news.example.com/a/story"},
		{"https://news.example.com/a/story?fbclid=x&gclid=y&id=7#comments", "https://news.example.com/a/story?id=7"},
		{"HTTPS://news.example.com:443/a/story", "https://news.example.com/a/story"},
		{"http://news.example.com:80", "http://news.example.com/"},
		{"http://news.example.com:8080/x?b=2&a=1&UTM_Campaign=z", "http://news.example.com:8080/x?a=1&b=2"},
		{"https://user:pw@news.example.com./x?mc_cid=1&ref_src=twsrc", "https://news.example.com/x"},
		{"https://news.example.com..:8080/x", "https://news.example.com:8080/x"},
		{"https://news.example.com/a%20b?q=a+b", "https://news.example.com/a%20b?q=a+b"},
		{"  not a url  ", "not a url"},
		{"mailto:x@example.com", "mailto:x@example.com"},
	} {
		if got := NormalizeURL(tt.in); got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	bridge := storyParagraphs(t, "bridge.txt")
	wire := append([]string{"The Harbour Bridge is open again, fourteen months and sixteen million euro over budget after it closed."}, bridge[1:]...)
	trimmed := bridge[:len(bridge)-2] // a shorter cut of the same copy
	for _, tt := range []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"same text", strings.Join(bridge, "\n"), strings.Join(bridge, "\n"), 1, 1},
		{"wire copy with its own lead", strings.Join(bridge, "\n"), strings.Join(wire, "\n"), nearDuplicate, 1},
		{"shorter cut", strings.Join(bridge, "\n"), strings.Join(trimmed, "\n"), nearDuplicate, 1},
		{"another story", strings.Join(bridge, "\n"), strings.Join(storyParagraphs(t, "rail.txt"), "\n"), 0, 0.1},
		{"same topic, other words", strings.Join(storyParagraphs(t, "storm.txt"), "\n"),
			"Storm Brigid brought strong winds and heavy rain to the west. Power was cut to thousands of homes and schools closed, while ferries stayed in port and crews cleared fallen trees from the roads.", 0, 0.2},
	} {
		got := similarity(textSignature(tt.a), textSignature(tt.b))
		t.Logf("%s: %.2f", tt.name, got)
		if got < tt.min || got > tt.max {
			t.Errorf("similarity(%s) = %.2f; want %.2f to %.2f", tt.name, got, tt.min, tt.max)
		}
	}
	if textSignature("Too short to compare.") != nil {
		t.Error("a short text has a signature; want none")
	}
}
