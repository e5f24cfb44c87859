package digest

import "testing"

func TestParseClock(t *testing.T) {
	for _, tt := range []struct {
		in   string
		h, m int
		ok   bool
	}{
		{"09:00", 9, 0, true}, {"9:05", 9, 5, true}, {"23:59", 23, 59, true}, {" 00:00 ", 0, 0, true},
		{"24:00", 0, 0, false}, {"12:60", 0, 0, false}, {"9", 0, 0, false}, {"9:5", 0, 0, false},
		{"nine", 0, 0, false}, {"-1:00", 0, 0, false}, {"", 0, 0, false}, {"12:00:00", 0, 0, false},
	} {
		h, m, ok := ParseClock(tt.in)
		if ok != tt.ok || (ok && (h != tt.h || m != tt.m)) {
			t.Errorf("ParseClock(%q) = %d, %d, %v; want %d, %d, %v", tt.in, h, m, ok, tt.h, tt.m, tt.ok)
		}
	}
}
