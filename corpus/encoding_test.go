package corpus

import (
	"errors"
	"testing"
)

// TestParseWindows1252 reads files that are not UTF-8: those whose bytes
// read as Windows-1252 text are converted (and say so in Encoding), the
// others are refused with ErrEncoding, never turned into "ÿþý".
func TestParseWindows1252(t *testing.T) {
	for _, tt := range []struct {
		name string
		data string
		want string // the first paragraph; "" when the file is refused
	}{
		{"quotes and accents", "\x93We will meet again,\x94 said the caf\xe9 owner \x96 and he did.",
			"“We will meet again,” said the café owner – and he did."},
		{"names and pound sign", "M\xfcller and \xc5ngstr\xf6m paid \xa35 for it.", "Müller and Ångström paid £5 for it."},
		{"a lone letter between spaces", "They dined \xe0 la carte.", "They dined à la carte."},
		{"letter run alone", "The envoy said \x93\xff\xfe\xfd\x94 twice.", ""},
		{"letter run between spaces", "Talks \xff\xfe\xfd resumed.", ""},
		{"control byte", "Talks \x01 resumed at the caf\xe9.", ""},
		{"undefined byte", "Talks resumed at the caf\x81.", ""},
		{"damaged UTF-8", "The café talks \x92 resumed.", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("a", FormatText, []byte(tt.data), nil)
			if tt.want == "" {
				if !errors.Is(err, ErrEncoding) {
					t.Errorf("Parse(%q) = %v, %v; want ErrEncoding", tt.data, a, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.data, err)
			}
			if got := a.Paragraphs[0].Text; got != tt.want || a.Encoding != Windows1252 {
				t.Errorf("Parse(%q) = %q, encoding %q; want %q, %q", tt.data, got, a.Encoding, tt.want, Windows1252)
			}
		})
	}
	a, err := Parse("a", FormatText, []byte("Plain UTF-8: café."), nil)
	if err != nil || a.Encoding != "" {
		t.Errorf("Parse(UTF-8) = %+v, %v; want no Encoding", a, err)
	}
}
