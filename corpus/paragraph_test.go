package corpus

import (
	"slices"
	"testing"
)

func TestSplitParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"blank lines only", "\n \n\t\n", nil},
		{"one line", "Talks resume on Monday.", []string{"Talks resume on Monday."}},
		{"one paragraph per line", "First one.\nSecond one.\nThird one.",
			[]string{"First one.", "Second one.", "Third one."}},
		{"blank-line separated", "First one.\n\nSecond one.\n\nThird one.",
			[]string{"First one.", "Second one.", "Third one."}},
		{"several blank lines", "First one.\n\n\n\nSecond one.", []string{"First one.", "Second one."}},
		{"hard-wrapped blocks joined", "The US ambassador to Iraq said he\nexchanged views with the Iranian\nDelegation in Baghdad.\n\nWashington broke off ties with\nIran in 1979.",
			[]string{"The US ambassador to Iraq said he exchanged views with the Iranian Delegation in Baghdad.", "Washington broke off ties with Iran in 1979."}},
		{"wrap at a sentence end inside a block", "He spoke first. Then\nshe spoke. They\nagreed.\nNobody left the room\nafter that.\n\nIt ended in\nthe morning.",
			[]string{"He spoke first. Then she spoke. They agreed. Nobody left the room after that.", "It ended in the morning."}},
		{"broken line rejoined", "Mr Khalilzad urged nations bordering Iraq - which include Syria and Iran\n- to expand assistance.\nNext one.",
			[]string{"Mr Khalilzad urged nations bordering Iraq - which include Syria and Iran - to expand assistance.", "Next one."}},
		{"broken line, lower case", "He said the talks were\nconstructive.\nNext one.",
			[]string{"He said the talks were constructive.", "Next one."}},
		{"broken line, en dash", "He said the talks\n– which began Monday – ended.", []string{"He said the talks – which began Monday – ended."}},
		{"capital after unfinished line is a new paragraph", "WASHINGTON\nThe talks ended.", []string{"WASHINGTON", "The talks ended."}},
		{"lower case after a full stop is a new paragraph", "The talks ended.\nindeed they did.", []string{"The talks ended.", "indeed they did."}},
		{"closing quote ends a line", "He called it a \"first step.\"\nand more.", []string{"He called it a \"first step.\"", "and more."}},
		{"colon ends a line", "He said:\n- the talks ended.", []string{"He said:", "- the talks ended."}},
		{"bullet lines not joined", "The demands were\n- a ceasefire\n- talks\n- aid",
			[]string{"The demands were - a ceasefire", "- talks", "- aid"}},
		{"star and dot bullets not joined", "* a ceasefire\n* talks\n• aid\n• more aid",
			[]string{"* a ceasefire", "* talks", "• aid", "• more aid"}},
		{"bullet lines in a block not joined", "Intro paragraph that wraps\nonto two lines.\n\n- a ceasefire\n- talks and\n  more talks\n- aid",
			[]string{"Intro paragraph that wraps onto two lines.", "- a ceasefire", "- talks and more talks", "- aid"}},
		{"CRLF", "First one.\r\nSecond one.\r\n", []string{"First one.", "Second one."}},
		{"CRLF blocks", "First one\r\ncontinued.\r\n\r\nSecond one\r\ncontinued.\r\n",
			[]string{"First one continued.", "Second one continued."}},
		{"CR", "First one.\rSecond one.\r", []string{"First one.", "Second one."}},
		{"leading and trailing blank lines", "\n\n  \nFirst one.\nSecond one.\n\n\n", []string{"First one.", "Second one."}},
		{"one per line, credit after a blank line", "First one.\nSecond one.\nThird one.\n\nPA",
			[]string{"First one.", "Second one.", "Third one.", "PA"}},
		{"one per line, blank line between two", "First one.\nSecond one.\n\nThird one.\nFourth one.",
			[]string{"First one.", "Second one.", "Third one.", "Fourth one."}},
		{"indentation and inner spaces kept for folding", "   First   one.  \n\tSecond one.", []string{"First   one.", "Second one."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitParagraphs(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("splitParagraphs(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitTextHeader(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantTitle string
		wantBody  string
	}{
		{"header", "Title: T\nSource: S\n\nBody.", "T", "Body."},
		{"keys in any case", "TITLE: T\nsOuRcE: S\n\nBody.", "T", "Body."},
		{"leading blank lines", "\n\nTitle: T\n\nBody.", "T", "Body."},
		{"CRLF", "Title: T\r\n\r\nBody.", "T", "Body."},
		{"blank line with spaces", "Title: T\n  \nBody.", "T", "Body."},
		{"header only", "Title: T\n\n", "T", ""},
		{"unknown key is text", "Note: the talks were held in private.\n\nBody.", "", "Note: the talks were held in private.\n\nBody."},
		{"known key then text", "Source: officials said so.\nThey left.\n", "", "Source: officials said so.\nThey left.\n"},
		{"known keys to the end", "Title: T\nSource: S\n", "", "Title: T\nSource: S\n"},
		{"known keys, no line break", "Title: T", "", "Title: T"},
		{"no colon", "Title T\n\nBody.", "", "Title T\n\nBody."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, body := splitTextHeader(tt.in)
			if m.Title != tt.wantTitle || body != tt.wantBody {
				t.Errorf("splitTextHeader(%q) = title %q, body %q; want %q, %q", tt.in, m.Title, body, tt.wantTitle, tt.wantBody)
			}
		})
	}
}
