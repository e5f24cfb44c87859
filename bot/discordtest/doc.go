// Package discordtest is a fake Discord for end-to-end tests that drive
// the real discordgo client.
package discordtest
