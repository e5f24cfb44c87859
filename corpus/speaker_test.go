package corpus

import "testing"

// who is the expected attribution of one sentence.
type who struct{ speaker, role string }

// nobody is a sentence that reports no one's words.
var nobody = who{}

const (
	khalilzad = "Zalmy Khalilzad"
	zebari    = "Hoshyar Zebari"
	usAmb     = "US ambassador to Iraq"
	iraqFM    = "Iraq's foreign minister"
)

// TestAttributeSpeakersSeed checks every sentence of the default article
// against DESIGN.md, "The seed, precisely".
func TestAttributeSpeakersSeed(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	a := c.Articles()[0]
	tests := []struct {
		para, sent int
		want       who
	}{
		{1, 1, nobody},
		{2, 1, who{khalilzad, usAmb}},
		{3, 1, who{khalilzad, usAmb}},
		{4, 1, who{khalilzad, usAmb}},
		{5, 1, nobody},
		{5, 2, nobody},
		{6, 1, nobody},
		{7, 1, who{zebari, iraqFM}},
		{8, 1, who{zebari, iraqFM}},
		{9, 1, nobody},
		{10, 1, who{khalilzad, usAmb}},
		{11, 1, nobody},
		{11, 2, who{"Iraqi officials", ""}},
		{12, 1, nobody},
		{12, 2, nobody},
	}
	if n := len(a.Sentences()); n != len(tests) {
		t.Fatalf("seed has %d sentences; want %d", n, len(tests))
	}
	for _, tt := range tests {
		s, ok := a.Sentence(tt.para, tt.sent)
		if !ok {
			t.Fatalf("no sentence %d.%d", tt.para, tt.sent)
		}
		if s.Speaker != tt.want.speaker {
			t.Errorf("speaker of %d.%d = %q; want %q", tt.para, tt.sent, s.Speaker, tt.want.speaker)
		}
		if s.Role != tt.want.role {
			t.Errorf("role of %d.%d = %q; want %q", tt.para, tt.sent, s.Role, tt.want.role)
		}
	}
}
