package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// seedTextSHA256 is the digest of the embedded seed article. An edit to the
// file, however small, changes every quote's provenance: it must be
// deliberate, and then this digest changes with it.
const seedTextSHA256 = "a1e265154e4654d5ca53b4fdd6d8641a8d92c309c1d55086138fbe1291fde312"

const seedID = "000_f7beece76a365f7b"

func TestSeedFileUnchanged(t *testing.T) {
	data, err := seedFS.ReadFile("seed/" + seedID + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != seedTextSHA256 {
		t.Errorf("sha256 of seed/%s.txt = %s; want %s", seedID, got, seedTextSHA256)
	}
	if n := strings.Count(string(data), "\n") + 1; n != 14 {
		t.Errorf("seed has %d lines; want 14", n)
	}
}

func TestDefaultSeed(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default() error: %v", err)
	}
	if c.Len() != 1 {
		t.Fatalf("Default() has %d articles; want 1", c.Len())
	}
	a, ok := c.Article(seedID)
	if !ok {
		t.Fatalf("Default() has no article %q", seedID)
	}
	meta := []struct{ field, got, want string }{
		{"Title", a.Title, "US and Iran talk during conference"},
		{"Source", a.Source, "The Irish Times"},
		{"URL", a.URL, "https://www.irishtimes.com/news/us-and-iran-talk-during-conference-1.804303"},
		{"Date()", a.Date(), "2007-03-10"},
		{"Agency", a.Agency, "PA"},
		{"Author", a.Author, ""},
	}
	for _, m := range meta {
		if m.got != m.want {
			t.Errorf("seed %s = %q; want %q", m.field, m.got, m.want)
		}
	}

	want := []struct {
		para, num, pos int
		text           string
	}{
		{1, 1, 1, "US and Iranian envoys exchanged direct talks today at a conference on Iraq stability efforts, opening possibly groundbreaking steps that could ease their nearly 28-year diplomatic freeze."},
		{2, 1, 2, `The US ambassador to Iraq, Zalmy Khalilzad, said he exchanged views with Iranian delegation "directly and in the presence of others" at the one-day meeting of Iraq's neighbours and others including the five permanent members of the UN Security Council.`},
		{3, 1, 3, `He declined to give details of the contacts - calling them only "constructive and businesslike and problem-solving"- but said he raised Washington's assertions that Shiite militias receive weapons and assistance across the border from Iran.`},
		{4, 1, 4, `Mr Khalilzad called it a "first step".`},
		{5, 1, 5, "For Iran, opening more direct contacts with Washington could help promote their shared interests in Iraq, including trying to stamp out Sunni-led insurgents."},
		{5, 2, 6, "US officials, meanwhile, need the support of Iranian-allied political groups in Iraq to keep a lid on Shiite militias."},
		{6, 1, 7, "Washington broke off ties with Iran after militants occupied the US Embassy in Tehran in the wake of the 1979 Islamic Revolution."},
		{7, 1, 8, `Iraq's foreign minister, Hoshyar Zebari, told reporters there were "direct exchanges and meetings and discussions" between the US and Iranian delegation.`},
		{8, 1, 9, "He also said delegates agreed to take part in future groups to study ways to bolster Iraq's security, assist displaced people and improve fuel distribution and sales."},
		{9, 1, 10, `Mr Zebari did not say whether Iran and the US could join in these smaller "tactical committees."`},
		{10, 1, 11, `Mr Khalilzad also urged nations bordering Iraq - which include Syria and Iran - to expand assistance to al-Maliki's government, saying "the future of Iraq and the Middle East is the defining issue of our time".`},
		{11, 1, 12, `The delegates proposed an "expanded" follow-up meeting, which could include the G8 nations and others, in Istanbul next month.`},
		{11, 2, 13, "Iraqi officials, however, say they want the next meeting to take place in Baghdad."},
		{12, 1, 14, "There have been other chances in the past for dialogue between the US and Iran, but rarely with such promise."},
		{12, 2, 15, "In September, the US joined Iran and Syria in talks on Iraq - although Washington ruled out direct talks with Iran in advance."},
	}
	if n := len(a.Paragraphs); n != 12 {
		t.Errorf("seed has %d paragraphs; want 12", n)
	}
	got := a.Sentences()
	if len(got) != len(want) {
		t.Fatalf("seed has %d sentences; want %d", len(got), len(want))
	}
	for i, w := range want {
		s := got[i]
		if s.Paragraph != w.para || s.Number != w.num || s.Position != w.pos || s.Text != w.text || s.Article != seedID {
			t.Errorf("sentence %d = {%s %d %d %d %q}; want {%s %d %d %d %q}", i+1,
				s.Article, s.Paragraph, s.Number, s.Position, s.Text, seedID, w.para, w.num, w.pos, w.text)
		}
		if byRef, ok := a.Sentence(w.para, w.num); !ok || byRef.Text != w.text {
			t.Errorf("Sentence(%d, %d) = %q, %v; want %q, true", w.para, w.num, byRef.Text, ok, w.text)
		}
	}
	for i, p := range a.Paragraphs {
		if p.Number != i+1 {
			t.Errorf("Paragraphs[%d].Number = %d; want %d", i, p.Number, i+1)
		}
		texts := make([]string, len(p.Sentences))
		for j, s := range p.Sentences {
			texts[j] = s.Text
		}
		if joined := strings.Join(texts, " "); joined != p.Text {
			t.Errorf("paragraph %d: sentences joined = %q; want the paragraph text %q", p.Number, joined, p.Text)
		}
	}
	for _, s := range got {
		if s.Text == "PA" || strings.HasSuffix(s.Text, " PA") {
			t.Errorf("agency credit %q became a sentence", s.Text)
		}
	}
	if _, ok := a.Sentence(13, 1); ok {
		t.Errorf("Sentence(13, 1) found; want none (12 paragraphs)")
	}
	if _, ok := c.Sentence(Ref{Article: seedID, Paragraph: 10, Sentence: 1}); !ok {
		t.Errorf("Corpus.Sentence(%s/10/1) not found", seedID)
	}
}
