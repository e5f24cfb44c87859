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
