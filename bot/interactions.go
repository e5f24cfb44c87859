package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/retrieval"
)

// handlerTimeout bounds the work of one interaction; slowTimeout that of
// a slow one (a handler's slow), which is deferred at once: Discord keeps
// a deferred interaction open for 15 minutes.
const (
	handlerTimeout = 12 * time.Second
	slowTimeout    = 60 * time.Second
)

// responder delivers the responses to one interaction: over REST for
// interactions that arrive on the gateway, or as the HTTP reply for those
// that arrive at the interactions endpoint.
type responder interface {
	// respond sends the first response; Discord accepts exactly one,
	// within 3 seconds.
	respond(*discordgo.InteractionResponse) error
	// edit replaces the first response (after a deferral).
	edit(*discordgo.WebhookEdit) error
}

// gatewayResponder answers gateway interactions through the REST API.
type gatewayResponder struct {
	s *discordgo.Session
	i *discordgo.Interaction
}

func (g gatewayResponder) respond(r *discordgo.InteractionResponse) error {
	return g.s.InteractionRespond(g.i, r)
}

func (g gatewayResponder) edit(e *discordgo.WebhookEdit) error {
	_, err := g.s.InteractionResponseEdit(g.i, e)
	return err
}

// handler is one slash command, message command or button: it computes a
// reply. ephemeral tells, before the work is done, whether the reply will
// be ephemeral, so that a deferral can say so. slow, when set and true
// for an interaction, marks work that reaches outside (fetching a page):
// it is deferred at once and given slowTimeout instead of handlerTimeout.
type handler struct {
	run       func(ctx context.Context, i *discordgo.Interaction) (reply, error)
	ephemeral func(i *discordgo.Interaction) bool
	slow      func(i *discordgo.Interaction) bool
}

// alwaysEphemeral and never are the ephemeral funcs of handlers whose
// replies are always, or never, ephemeral.
func alwaysEphemeral(*discordgo.Interaction) bool { return true }

func never(*discordgo.Interaction) bool { return false }

// commandHandlers maps each command's name to its handler. New builds it
// once, into b.commands.
func (b *Bot) commandHandlers() map[string]handler {
	return map[string]handler{
		cmdAsk:        {run: b.cmdAsk, ephemeral: func(i *discordgo.Interaction) bool { return optBool(i, "hide") }},
		cmdLookup:     {run: b.cmdLookup, ephemeral: never},
		cmdQuotes:     {run: b.cmdQuotes, ephemeral: never},
		cmdArticle:    {run: b.cmdArticle, ephemeral: isArticleAdd, slow: b.fetchesPage},
		cmdHelp:       {run: b.cmdHelp, ephemeral: alwaysEphemeral},
		cmdDigest:     {run: b.cmdDigest, ephemeral: alwaysEphemeral},
		cmdFeeds:      {run: b.cmdFeeds, ephemeral: alwaysEphemeral},
		cmdAskMessage: {run: b.cmdAskMessage, ephemeral: never},
	}
}

func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	if !b.ownsGuild(ic.GuildID) {
		b.log.Debug("interaction for another shard's guild ignored", "guild", ic.GuildID)
		return
	}
	go b.handleInteraction(gatewayResponder{s, ic.Interaction}, ic.Interaction)
}

// handleInteraction routes one interaction and makes sure it gets a
// response within Discord's 3 seconds: a reply, an ephemeral explanation
// of what went wrong, or a deferral followed by an edit. A panic in a
// handler is logged and answered; the bot carries on.
func (b *Bot) handleInteraction(res responder, i *discordgo.Interaction) {
	start := time.Now()
	responded := false
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic in interaction handler", "panic", p, "stack", string(debug.Stack()))
			if !responded {
				_ = res.respond(response(notice(msgInternal, true)))
			}
		}
	}()

	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		choices := b.autocomplete(i)
		responded = true
		err := res.respond(&discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices},
		})
		if err != nil {
			b.log.Warn("autocomplete response", "err", err)
		}
		b.metrics.AutocompleteServed(time.Since(start))
		return
	case discordgo.InteractionApplicationCommand:
		name := i.ApplicationCommandData().Name
		h, ok := b.commands[name]
		if !ok {
			responded = true
			_ = res.respond(response(notice("I don't know that command any more: it may have been removed.", true)))
			return
		}
		b.log.Debug("command", "name", name, "user", userID(i))
		b.serve(res, i, h)
		responded = true
	case discordgo.InteractionMessageComponent:
		b.serve(res, i, handler{run: b.button, ephemeral: alwaysEphemeral})
		responded = true
	default:
		b.log.Debug("ignored interaction", "type", i.Type)
	}
}

// serve runs h and delivers its reply. When the reply is not ready after
// DeferAfter, it defers (Discord then shows "thinking…") and edits the
// deferred response when the reply comes. Once it returns, a response
// has been sent (or its sending failed and was logged).
func (b *Bot) serve(res responder, i *discordgo.Interaction, h handler) {
	slow := h.slow != nil && h.slow(i)
	timeout := handlerTimeout
	if slow {
		timeout = slowTimeout
	}
	ctx, cancel := context.WithTimeout(withGuild(context.Background(), i.GuildID), timeout)
	defer cancel()
	type result struct {
		r   reply
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("panic in interaction handler", "panic", p, "stack", string(debug.Stack()))
				done <- result{err: errPanic}
			}
		}()
		r, err := h.run(ctx, i)
		done <- result{r, err}
	}()

	if !slow {
		timer := time.NewTimer(b.opts.DeferAfter)
		defer timer.Stop()
		select {
		case out := <-done:
			r := b.replyOrNotice(out.r, out.err)
			if err := res.respond(response(r)); err != nil {
				b.log.Warn("interaction response", "err", err)
			}
			return
		case <-timer.C:
		}
	}

	var flags discordgo.MessageFlags
	if h.ephemeral(i) {
		flags = discordgo.MessageFlagsEphemeral
	}
	err := res.respond(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags},
	})
	if err != nil {
		b.log.Warn("deferring interaction", "err", err)
		return
	}
	out := <-done
	r := b.replyOrNotice(out.r, out.err)
	if err := res.edit(r.webhookEdit()); err != nil {
		b.log.Warn("editing deferred response", "err", err)
	}
}

// response is a reply as the first response to an interaction.
func response(r reply) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: r.interactionData(),
	}
}

// User-facing messages for failures.
const (
	msgInternal       = "Something went wrong on my side, sorry. Please try again in a moment."
	msgUnknownArticle = "I don't have that article. Pick one from the list as you type, or see `/article`."
	msgButtonExpired  = "This button has expired. Ask again to get fresh buttons."
	msgButtonInvalid  = "This button is not one I can use (it may be from an older version of me). Ask again to get fresh buttons."
)

var errPanic = errors.New("handler panicked")

// replyOrNotice turns a handler's error into a short ephemeral reply: the
// user's mistake explained, or an apology for ours (the error is logged).
func (b *Bot) replyOrNotice(r reply, err error) reply {
	if err == nil {
		return r
	}
	var qe *retrieval.QuestionError
	switch {
	case errors.As(err, &qe):
		return notice(qe.Reason, true)
	case errors.Is(err, retrieval.ErrUnknownArticle):
		return notice(msgUnknownArticle, true)
	case errors.Is(err, errButtonExpired):
		return notice(msgButtonExpired, true)
	case errors.Is(err, errButtonTampered):
		return notice(msgButtonInvalid, true)
	}
	var ue *userError
	if errors.As(err, &ue) {
		return notice(ue.msg, true)
	}
	if !errors.Is(err, errPanic) {
		b.log.Error("interaction failed", "err", err)
	}
	return notice(msgInternal, true)
}

// userError is a handler's refusal, with the text to show. reason, when
// set, is the refusal's reason in the metrics ("cooldown").
type userError struct{ msg, reason string }

func (e *userError) Error() string { return e.msg }

func refuse(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...)}
}

// How questions reach the bot, in the metrics.
const (
	viaCommand = "command" // /ask and the "Ask the article" message command
	viaMessage = "message" // mentions, DMs, answer channels
	viaButton  = "button"  // "More"
)

// decline counts a question not answered, by the reason err gives, and
// returns err.
func (b *Bot) decline(via string, err error) error {
	reason := "error"
	var qe *retrieval.QuestionError
	var ue *userError
	switch {
	case errors.As(err, &qe):
		reason = "invalid"
	case errors.Is(err, retrieval.ErrUnknownArticle):
		reason = "unknown_article"
	case errors.As(err, &ue) && ue.reason != "":
		reason = ue.reason
	}
	b.metrics.QuestionDeclined(via, reason)
	return err
}

// userID is the id of whoever made the interaction, in a guild or a DM.
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// options returns the options of a command, or of its subcommand.
func options(i *discordgo.Interaction) []*discordgo.ApplicationCommandInteractionDataOption {
	opts := i.ApplicationCommandData().Options
	if len(opts) == 1 && (opts[0].Type == discordgo.ApplicationCommandOptionSubCommand ||
		opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		return opts[0].Options
	}
	return opts
}

func option(i *discordgo.Interaction, name string) *discordgo.ApplicationCommandInteractionDataOption {
	if i.Type != discordgo.InteractionApplicationCommand && i.Type != discordgo.InteractionApplicationCommandAutocomplete {
		return nil
	}
	for _, o := range options(i) {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func optString(i *discordgo.Interaction, name string) string {
	if o := option(i, name); o != nil {
		if s, ok := o.Value.(string); ok {
			return s
		}
	}
	return ""
}

func optInt(i *discordgo.Interaction, name string, def int) int {
	if o := option(i, name); o != nil {
		if f, ok := o.Value.(float64); ok {
			return int(f)
		}
	}
	return def
}

func optBool(i *discordgo.Interaction, name string) bool {
	if o := option(i, name); o != nil {
		if v, ok := o.Value.(bool); ok {
			return v
		}
	}
	return false
}
