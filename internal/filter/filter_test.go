package filter

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		filter  string
		wantErr string
	}{
		{"", ""},
		{"storm", ""},
		{"storm, flood rain", ""},
		{"/storm|flood/", ""},
		{"/(unclosed/", "not a valid regular expression"},
		{"//", "the regular expression is empty"},
		{" , ", "the filter holds no words"},
		{strings.Repeat("x", MaxLen+1), "too long"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.filter)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("Parse(%q) = %v; want %q", tt.filter, err, tt.wantErr)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		filter, title, text string
		want                bool
	}{
		{"", "Anything", "at all", true},
		{"storm", "Storm warning", "", true},
		{"storm", "Weather", "A storm is coming.", true},
		{"storm", "Weather", "Brainstorming session.", false},
		{"flood, storm", "Rivers", "Flood water rose.", true},
		{"flood storm", "Budget", "The minister spoke.", false},
		{"/wind(s)? of \\d+/", "Gale", "Winds of 120 km/h.", true},
		{"/^budget/", "Weather", "Rain.", false},
	}
	for _, tt := range tests {
		f, err := Parse(tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Match(tt.title, []string{tt.text}); got != tt.want {
			t.Errorf("Parse(%q).Match(%q, %q) = %v; want %v", tt.filter, tt.title, tt.text, got, tt.want)
		}
	}
}
