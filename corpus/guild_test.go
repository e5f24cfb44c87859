package corpus

import "testing"

func TestGuilds(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string
		visible    map[string]bool
	}{
		{"none", `{"title": "T", "body": ["One sentence here."]}`, nil, map[string]bool{"1": true, "": true}},
		{"empty", `{"title": "T", "guild": "", "body": ["One sentence here."]}`, nil, map[string]bool{"1": true, "": true}},
		{"one", `{"title": "T", "guild": "111", "body": ["One sentence here."]}`, []string{"111"}, map[string]bool{"111": true, "222": false, "": false}},
		{"two", `{"title": "T", "guild": "111,222", "body": ["One sentence here."]}`, []string{"111", "222"}, map[string]bool{"111": true, "222": true, "333": false}},
		{"list", `{"title": "T", "guild": ["111", "222"], "body": ["One sentence here."]}`, []string{"111", "222"}, map[string]bool{"222": true, "": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse("x", FormatJSON, []byte(tt.json), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Guilds) != len(tt.want) {
				t.Fatalf("Guilds = %q; want %q", a.Guilds, tt.want)
			}
			for i := range tt.want {
				if a.Guilds[i] != tt.want[i] {
					t.Fatalf("Guilds = %q; want %q", a.Guilds, tt.want)
				}
			}
			for g, want := range tt.visible {
				if got := a.VisibleIn(g); got != want {
					t.Errorf("VisibleIn(%q) = %v; want %v", g, got, want)
				}
			}
		})
	}
}
