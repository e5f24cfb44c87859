package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// How a message reached the bot, which decides how it is answered.
type messageKind int

const (
	notForUs       messageKind = iota
	kindMention                // mentions the bot in a server
	kindDM                     // a direct message
	kindAnswerChan             // a question in an ANSWER_CHANNEL_IDS channel or a digest thread
)

// onMessage answers a message that mentions the bot, a DM, or a question
// in an answer channel or a digest thread, with a reply to it; in a digest
// thread, from that thread's article only. Messages from bots, webhooks
// and the bot itself are ignored. Bad input and cooldowns get one short
// reply in mentions and DMs, and silence in answer channels.
func (b *Bot) onMessage(s *discordgo.Session, mc *discordgo.MessageCreate) {
	go b.handleMessage(s, mc)
}

// handleMessage is onMessage's work, in a goroutine of its own.
func (b *Bot) handleMessage(s *discordgo.Session, mc *discordgo.MessageCreate) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic in message handler", "panic", p, "stack", string(debug.Stack()))
		}
	}()
	m := mc.Message
	// Every message ends in this line, whatever became of it: proof for
	// an operator (and the tests) that one was seen through.
	defer b.log.Debug("message handled", "message", m.ID)
	if !b.ownsGuild(m.GuildID) {
		b.log.Debug("message for another shard's guild ignored", "guild", m.GuildID)
		return
	}
	kind := b.classify(m)
	if kind == notForUs {
		return
	}
	question := b.stripMentions(m.Content)
	b.log.Debug("message question", "user", m.Author.ID, "channel", m.ChannelID, "question", question)

	quiet := kind == kindAnswerChan
	if _, err := retrieval.CheckQuestion(question); err != nil {
		b.decline(viaMessage, err)
		if !quiet {
			var qe *retrieval.QuestionError
			errors.As(err, &qe)
			b.send(s, m, notice(qe.Reason, false))
		}
		return
	}
	if !b.cool.allow(m.Author.ID, b.now()) {
		b.metrics.QuestionDeclined(viaMessage, "cooldown")
		if !quiet && b.cool.notifyDue(m.Author.ID, b.now()) {
			b.send(s, m, notice(fmt.Sprintf("You're asking faster than I can keep up with: please wait %s and ask again.",
				roundUp(b.cool.retryIn(m.Author.ID, b.now()))), false))
		}
		return
	}
	ctx, cancel := context.WithTimeout(withGuild(context.Background(), m.GuildID), handlerTimeout)
	defer cancel()
	_ = s.ChannelTyping(m.ChannelID)
	// In a digest thread, questions are answered from its article only.
	article, _ := b.threadArticle(m.ChannelID)
	r, err := b.answer(ctx, viaMessage, question, article, retrieval.DefaultTop)
	if errors.Is(err, retrieval.ErrUnknownArticle) {
		r, err = notice("The article of this thread is no longer among my articles.", false), nil
	}
	if err != nil {
		b.log.Error("answering a message", "err", err)
		if quiet {
			return
		}
		r = notice(msgInternal, false)
	}
	b.send(s, m, r)
}

// classify tells how a message reached the bot, or notForUs.
func (b *Bot) classify(m *discordgo.Message) messageKind {
	if m.Author == nil || m.Author.Bot || m.WebhookID != "" || m.Author.ID == b.selfID() || m.Author.System {
		return notForUs
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return notForUs
	}
	if m.GuildID == "" {
		return kindDM
	}
	self := b.selfID()
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return kindMention
		}
	}
	if strings.HasSuffix(strings.TrimSpace(m.Content), "?") {
		if _, thread := b.threadArticle(m.ChannelID); thread || b.answers[m.ChannelID] {
			return kindAnswerChan
		}
	}
	return notForUs
}

// threadArticle returns the article of a digest thread, and false for any
// other channel.
func (b *Bot) threadArticle(channelID string) (corpus.ArticleID, bool) {
	if b.digest == nil {
		return "", false
	}
	return b.digest.ThreadArticle(channelID)
}

// mentionRe matches user, role and channel mentions.
var mentionRe = regexp.MustCompile(`<(@[!&]?|#)\d+>`)

// stripMentions removes mentions from a message, leaving the question.
func (b *Bot) stripMentions(s string) string {
	return strings.Join(strings.Fields(mentionRe.ReplaceAllString(s, " ")), " ")
}

// send replies to m; a failure is logged, never retried by hand (discordgo
// retries rate limits itself).
func (b *Bot) send(s *discordgo.Session, m *discordgo.Message, r reply) {
	ref := &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID}
	failIfMissing := false
	ref.FailIfNotExists = &failIfMissing
	if _, err := s.ChannelMessageSendComplex(m.ChannelID, r.messageSend(ref)); err != nil {
		b.log.Warn("sending a reply", "channel", m.ChannelID, "err", err)
	}
}

// roundUp formats a wait as whole seconds, at least one.
func roundUp(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs <= 1 {
		return "a second"
	}
	return fmt.Sprintf("%d seconds", secs)
}
