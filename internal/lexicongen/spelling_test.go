package main

import (
	"slices"
	"testing"
)

// TestVariants checks that the spelling rules make the American spelling
// of British words, applying one or two of them; which of the variants
// are words is WordNet's to say (the synset check in spellings).
func TestVariants(t *testing.T) {
	for _, tt := range []struct {
		british, american string
	}{
		{"neighbour", "neighbor"},
		{"organise", "organize"},
		{"organisation", "organization"},
		{"centre", "center"},
		{"defence", "defense"},
		{"catalogue", "catalog"},
		{"programme", "program"},
		{"travelled", "traveled"},
		{"analyse", "analyze"},
		{"manoeuvre", "maneuver"},
		{"grey", "gray"},
	} {
		if vs := variants(tt.british, 2); !slices.Contains(vs, tt.american) {
			t.Errorf("variants(%q) = %v; want %q among them", tt.british, vs, tt.american)
		}
	}
	if vs := variants("cat", 2); len(vs) != 0 {
		t.Errorf("variants(%q) = %v; want none", "cat", vs)
	}
}
