package bot

import (
	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/retrieval"
)

// Command names.
const (
	cmdAsk        = "ask"
	cmdLookup     = "lookup"
	cmdQuotes     = "quotes"
	cmdArticle    = "article"
	cmdDigest     = "digest"
	cmdFeeds      = "feeds"
	cmdHelp       = "help"
	cmdAskMessage = "Ask the article"
)

// The subcommands of /article.
const (
	subShow = "show"
	subAdd  = "add"
)

// permManageServer is Discord's MANAGE_GUILD permission bit.
const permManageServer int64 = discordgo.PermissionManageGuild

// commands are the application commands, registered on READY with one bulk
// overwrite.
func commands() []*discordgo.ApplicationCommand {
	everywhere := &[]discordgo.InteractionContextType{
		discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM,
	}
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	one := 1.0
	five := 5.0
	manage := permManageServer
	articleOpt := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionString, Name: "article",
			Description: desc, Autocomplete: true, MaxLength: 200,
		}
	}
	channelOpt := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: desc,
			ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews},
		}
	}
	return []*discordgo.ApplicationCommand{
		{
			Name: cmdAsk, Description: "Ask a question; get the sentences that answer it, quoted word for word",
			Contexts: everywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "What you want to know",
					Required: true, MaxLength: retrieval.MaxQuestionRune},
				articleOpt("Answer from this article only"),
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "results", Description: "How many quotes (1 to 5; default 3)",
					MinValue: &one, MaxValue: five},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: "hide", Description: "Show the answer to you only"},
			},
		},
		{
			Name: cmdLookup, Description: "List the sentences that contain a word or phrase",
			Contexts: everywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "term", Description: "A word or phrase",
					Required: true, Autocomplete: true, MaxLength: retrieval.MaxTermRune},
			},
		},
		{
			Name: cmdQuotes, Description: "What a person is quoted as saying, in article order",
			Contexts: everywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "speaker", Description: "Who said it",
					Required: true, Autocomplete: true, MaxLength: 100},
				articleOpt("Only from this article"),
			},
		},
		{
			// Discord allows no ordinary option beside subcommands, and
			// default_member_permissions only per command: /article stays
			// open to everyone, and "add" checks Manage Server itself.
			Name: cmdArticle, Description: "The articles I quote from, one article's details, or add a page",
			Contexts: everywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: subShow, Description: "The articles I quote from, or one article's details and key sentences",
					Options: []*discordgo.ApplicationCommandOption{articleOpt("The article to show; leave out for the list")}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: subAdd, Description: "Add a news page to this server's articles now (needs Manage Server)",
					Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "The page's address (http or https)", Required: true, MaxLength: 500},
					}},
			},
		},
		{
			Name: cmdDigest, Description: "The daily digest of new articles in this channel",
			Contexts:                 guildOnly,
			DefaultMemberPermissions: &manage,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "subscribe", Description: "Post the daily digest in a channel",
					Options: []*discordgo.ApplicationCommandOption{
						channelOpt("Where to post (default: this channel)"),
						{Type: discordgo.ApplicationCommandOptionString, Name: "time", Description: "Time of day, HH:MM (default: the bot's schedule)", MaxLength: 5},
						{Type: discordgo.ApplicationCommandOptionString, Name: "timezone", Description: "IANA time zone, e.g. Europe/Dublin", MaxLength: 64, Autocomplete: true},
					}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "unsubscribe", Description: "Stop the daily digest in a channel",
					Options: []*discordgo.ApplicationCommandOption{channelOpt("Which channel (default: this channel)")}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "status", Description: "The digest subscriptions of this server"},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "now", Description: "Post today's digest here now"},
			},
		},
		{
			Name: cmdFeeds, Description: "The news feeds this server follows, answered from and announced",
			Contexts:                 guildOnly,
			DefaultMemberPermissions: &manage,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Follow an RSS, Atom or JSON feed",
					Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "The feed's address (http or https)", Required: true, MaxLength: 500},
						channelOpt("Announce its new articles here (default: no announcements)"),
						{Type: discordgo.ApplicationCommandOptionString, Name: "filter", Description: "Keep only items with these words, or matching /regex/", MaxLength: 200},
					}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "remove", Description: "Stop following a feed",
					Options: []*discordgo.ApplicationCommandOption{
						{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "The feed's address, as added", Required: true, MaxLength: 500},
					}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "The feeds this server follows, and how their polling goes"},
			},
		},
		{
			Name: cmdHelp, Description: "What I do and how to ask",
			Contexts: everywhere,
		},
		{
			Name: cmdAskMessage, Type: discordgo.MessageApplicationCommand,
			Contexts: everywhere,
		},
	}
}
