package retrieval

import (
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestTense pins the tense a question is put in and which sentences
// speak of the future.
func TestTense(t *testing.T) {
	for _, tt := range []struct {
		text   string
		asked  tense
		speaks bool
	}{
		{"when will the pool reopen", tenseFuture, true},
		{"what is the pool going to cost", tenseFuture, true},
		{"when did the pool reopen", tensePast, false},
		{"who was the pool named after", tensePast, false},
		{"how many people use the pool", tenseNone, false},
		{"the pool will reopen in may", tenseFuture, true},
		{"the council said the pool would reopen", tenseNone, true},
		{"the trust plans to reopen the pool next year", tenseNone, true},
		{"the pool is to reopen next spring", tenseNone, true},
		{"the pool reopened next to the library", tenseNone, false},
		{"the pool was going downhill", tensePast, false},
		{"we hope to see you there", tenseNone, true},
		{"it closed in 1990", tenseNone, false},
	} {
		words := strings.Fields(tt.text)
		if got := askedTense(words); got != tt.asked {
			t.Errorf("askedTense(%q) = %v; want %v", tt.text, got, tt.asked)
		}
		if got := speaksOfFuture(words); got != tt.speaks {
			t.Errorf("speaksOfFuture(%q) = %v; want %v", tt.text, got, tt.speaks)
		}
	}
}

// TestAnswerInTense checks that a question finds the sentence in its
// tense before one that says as many of its words or more in another:
// "when will" the sentence that speaks of the future, "when did" the
// one that tells what happened; without FeatureSlot, the other comes
// first.
func TestAnswerInTense(t *testing.T) {
	for _, tt := range []struct {
		question, want, other string
	}{
		{"When will the Fernley pool reopen?",
			"The pool will reopen in May, councillors said.",
			"The Fernley pool reopened in 1990."},
		{"When did the pool reopen?",
			"The pool first reopened in 1990, after a fire had shut it for a year.",
			"The pool will reopen in May."},
	} {
		c := corpus.New(article(t, "pool", "Title: Fernley pool shut for repairs\n\n"+
			"The Fernley pool closed on Friday for repairs to its roof.\n"+
			tt.other+"\n"+tt.want+"\n"+
			"Swimmers have been told to use the leisure centre in Hallam.\n"))
		if got := askTexts(t, memIndex(t, c, Options{Features: AllFeatures}), tt.question, 3); len(got) == 0 || got[0] != tt.want {
			t.Errorf("%q: first %q; want %q", tt.question, got, tt.want)
		}
		if got := askTexts(t, memIndex(t, c, Options{Features: AllFeatures &^ FeatureSlot}), tt.question, 3); len(got) == 0 || got[0] != tt.other {
			t.Errorf("%q without FeatureSlot: first %q; want %q", tt.question, got, tt.other)
		}
	}
}

// BenchmarkSpeaksOfFuture measures the reading of one sentence's tense,
// which a question put in a tense does for each of its candidates.
func BenchmarkSpeaksOfFuture(b *testing.B) {
	words := strings.Fields("councillors said the pool which closed on friday for repairs to its roof had been used by swimmers from across the county since it opened in 1938")
	for b.Loop() {
		if speaksOfFuture(words) {
			b.Fatal("speaks of the future")
		}
	}
}
