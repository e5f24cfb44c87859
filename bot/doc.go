// Package bot is verbatim on Discord: it connects to the gateway with
// discordgo, registers the slash and message commands, answers questions
// asked by mention, DM, answer channel or /ask with quotes and their
// attribution, serves the lookups (/lookup, /quotes, /article) with
// autocomplete and the buttons under answers, and posts the daily digest
// to subscribed channels, keeping its subscriptions in a bbolt state file
// in the data folder. Everything it sends is escaped, kept within
// Discord's limits and mentions nobody.
//
// The answering itself is the [Engine]'s (a [retrieval.Index] in
// production); the bot decides who is asking, how to reply and when.
package bot
