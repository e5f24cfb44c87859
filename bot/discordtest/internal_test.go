package discordtest

import (
	"slices"
	"testing"
)

func TestPathMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"channels/*/messages", "/api/v9/channels/42/messages", true},
		{"channels/{channel}/messages", "/api/v9/channels/42/messages", true},
		{"/api/v9/channels/*/messages", "/api/v9/channels/42/messages", true},
		{"channels/*/messages", "/api/v9/channels/42/messages/7", false},
		{"channels/*/messages", "/api/v9/channels/42", false},
		{"channels/**", "/api/v9/channels/42/messages/7/threads", true},
		{"channels/**", "/api/v9/channels", true},
		{"webhooks/*/*/messages/@original", "/api/v9/webhooks/1/tok/messages/@original", true},
		{"webhooks/*/*/messages/@original", "/api/v9/webhooks/1/tok/messages/9", false},
		{"users/@me", "/api/v9/users/@me", true},
		{"users/@me", "/api/v9/users/1", false},
	}
	for _, tt := range tests {
		if got := pathMatch(tt.pattern, tt.path); got != tt.want {
			t.Errorf("pathMatch(%q, %q) = %v; want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestMentionIDs(t *testing.T) {
	tests := []struct {
		content string
		want    []string
	}{
		{"", nil},
		{"<@1> and <@!2> and <@1>", []string{"1", "2"}},
		{"<@&3> is a role, <#4> a channel, <@x> nothing, <@5", nil},
	}
	for _, tt := range tests {
		if got := mentionIDs(tt.content); !slices.Equal(got, tt.want) {
			t.Errorf("mentionIDs(%q) = %q; want %q", tt.content, got, tt.want)
		}
	}
}

func TestFormErrorsNest(t *testing.T) {
	var fe formErrors
	fe.add("embeds.0.description", "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", 4096)
	fe.add("content", "BASE_TYPE_MAX_LENGTH", "too long")
	e := fe.err()
	if e == nil || e.status != 400 || e.code != 50035 {
		t.Fatalf("err() = %+v; want 400 50035", e)
	}
	desc := e.errors["embeds"].(map[string]any)["0"].(map[string]any)["description"].(map[string]any)["_errors"].([]any)
	if len(desc) != 1 || desc[0].(map[string]any)["code"] != "BASE_TYPE_MAX_LENGTH" {
		t.Errorf("errors = %v; want embeds.0.description nested", e.errors)
	}
	var empty formErrors
	empty.empty = true
	if e := empty.err(); e == nil || e.code != 50006 {
		t.Errorf("empty message err() = %+v; want 50006", e)
	}
}
