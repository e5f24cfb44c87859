package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain words, with commas.", "plain words, with commas."},
		{"**bold** and _it_", `\*\*bold\*\* and \_it\_`},
		{"@everyone look", "@\u200beveryone look"},
		{"hi <@123> and <@&456> and <#789>", `hi \<@` + "\u200b" + `123\> and \<@` + "\u200b" + `\&456\> and \<\#789\>`},
		{"[click](https://evil.example)", `\[click\]\(https\://evil.example\)`},
		{"see https://example.com now", `see https\://example.com now`},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"well-known 3.5 per cent", "well-known 3.5 per cent"},
		{"`code` ~~strike~~ ||spoiler||", "\\`code\\` \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\|"},
		{"> quote", `\> quote`},
		{"zero\u200bwidth\u202econtrol\x07", "zerowidthcontrol"},
		{`back\slash`, `back\\slash`},
	} {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("word ", 50) + "end."
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"First sentence here. Second sentence is longer than allowed.", 40, "First sentence here. Second sentence\u2026"},
		{"One sentence ends here. Then a second one runs on and on.", 40, "One sentence ends here. Then a second\u2026"},
		{"A long opening sentence that ends late. More text follows.", 45, "A long opening sentence that ends late. \u2026"},
		{"one two three four five six", 16, "one two three\u2026"},
		{"ééééééééé", 7, "éé\u2026"},
		{`abc\*def`, 7, "abc\u2026"},
	} {
		got := truncate(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("truncate(%q, %d) = %q; want %q", tt.in, tt.max, got, tt.want)
		}
		if len(got) > tt.max || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q: %d bytes or invalid UTF-8", tt.in, tt.max, got, len(got))
		}
	}
	if got := truncate(long, 100); len(got) > 100 || !strings.HasSuffix(got, "\u2026") {
		t.Errorf("truncate(long, 100) = %q", got)
	}
}

func TestFragmentLink(t *testing.T) {
	for _, tt := range []struct{ url, sentence, want string }{
		{"https://news.example/a", "Short one, here.", "https://news.example/a#:~:text=Short%20one%2C%20here."},
		{"https://news.example/a#top", "One two three four five six seven eight nine ten eleven twelve.",
			"https://news.example/a#:~:text=One%20two%20three%20four%20five,eight%20nine%20ten%20eleven%20twelve."},
		{"https://news.example/a", "al-Maliki's & co", "https://news.example/a#:~:text=al%2DMaliki%27s%20%26%20co"},
		{"", "x", ""},
		{"javascript:alert(1)", "x", ""},
		{"not a url", "x", ""},
	} {
		if got := fragmentLink(tt.url, tt.sentence); got != tt.want {
			t.Errorf("fragmentLink(%q, %q) = %q; want %q", tt.url, tt.sentence, got, tt.want)
		}
	}
}
