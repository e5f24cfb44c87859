package bot

import "testing"

func TestServesGuild(t *testing.T) {
	// 175928847299117063 >> 22 = 41944705796 (Discord's documentation
	// example); 41944705796 % 4 = 0, % 3 = 2.
	const g = "175928847299117063"
	for _, tt := range []struct {
		guild        string
		shard, count int
		want         bool
	}{
		{g, 0, 1, true},
		{g, 0, 4, true},
		{g, 1, 4, false},
		{g, 2, 3, true},
		{g, 0, 3, false},
		{"", 0, 2, true}, // DMs are shard 0's
		{"", 1, 2, false},
		{"not-a-snowflake", 0, 2, false},
	} {
		if got := servesGuild(tt.guild, tt.shard, tt.count); got != tt.want {
			t.Errorf("servesGuild(%q, %d, %d) = %v; want %v", tt.guild, tt.shard, tt.count, got, tt.want)
		}
	}
}

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
		h, m, ok := parseClock(tt.in)
		if ok != tt.ok || (ok && (h != tt.h || m != tt.m)) {
			t.Errorf("parseClock(%q) = %d, %d, %v; want %d, %d, %v", tt.in, h, m, ok, tt.h, tt.m, tt.ok)
		}
	}
}
