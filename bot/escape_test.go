package bot

import (
	"strings"
	"testing"
	"unicode"
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
		{"https:\x00//evil.example", `https\://evil.example`},
		{"x\n\u200b- item", "x\n\\- item"},
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

// FuzzEscape checks that escaped text cannot mention anyone, carries no
// control or format character but the zero-width space that defuses "@",
// and shows exactly the input: taking the escapes away gives the input
// without its control and format characters.
func FuzzEscape(f *testing.F) {
	f.Add("@everyone <@123> <@&456> <#789> [x](https://evil.example) **b** `c` ||s||")
	f.Add("# heading\n- item\n> quote\n1. one\n\\*")
	f.Add("zero\u200bwidth\u202e\x00@\u200beveryone")
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		out := escape(in)
		for _, bad := range []string{"@everyone", "@here"} {
			if strings.Contains(out, bad) {
				t.Errorf("escape(%q) = %q holds %q", in, out, bad)
			}
		}
		// Characters that are markdown or mention syntax wherever they
		// stand must come escaped.
		const always = "\\*_~`|>#[]()<&"
		var shown strings.Builder
		rs := []rune(out)
		for i := 0; i < len(rs); i++ {
			r := rs[i]
			switch {
			case r == '\\' && i+1 < len(rs) && strings.ContainsRune(markdownSpecial, rs[i+1]):
				i++
				shown.WriteRune(rs[i])
			case r == '\u200b' && i > 0 && rs[i-1] == '@':
			case unicode.Is(unicode.Cf, r) || (unicode.Is(unicode.Cc, r) && r != '\n'):
				t.Fatalf("escape(%q) = %q holds %U", in, out, r)
			case strings.ContainsRune(always, r), r == ':' && strings.HasPrefix(string(rs[i+1:]), "//"):
				t.Fatalf("escape(%q) = %q leaves %q unescaped", in, out, r)
			default:
				shown.WriteRune(r)
			}
		}
		want := strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Cf, r) || (unicode.Is(unicode.Cc, r) && r != '\n') {
				return -1
			}
			return r
		}, in)
		if shown.String() != want {
			t.Errorf("escape(%q) = %q shows %q; want %q", in, out, shown.String(), want)
		}
	})
}

// FuzzTruncate checks that truncate keeps within its limit, in valid
// UTF-8, leaves short text alone, and marks a cut.
func FuzzTruncate(f *testing.F) {
	f.Add("First sentence here. Second sentence is longer than allowed.", 40)
	f.Add("ééééééééé", 7)
	f.Add(`abc\*def`, 7)
	f.Fuzz(func(t *testing.T, in string, max int) {
		if !utf8.ValidString(in) || max < 0 || max > 5000 {
			return
		}
		got := truncate(in, max)
		if len(got) > max || !utf8.ValidString(got) {
			t.Fatalf("truncate(%q, %d) = %q: %d bytes, valid %v", in, max, got, len(got), utf8.ValidString(got))
		}
		if len(in) <= max && got != in {
			t.Errorf("truncate(%q, %d) = %q; want it unchanged", in, max, got)
		}
		if len(in) > max && max >= len("\u2026") && !strings.HasSuffix(got, "\u2026") {
			t.Errorf("truncate(%q, %d) = %q; want the cut marked", in, max, got)
		}
	})
}
