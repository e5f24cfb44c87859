package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// More button actions: paging through lookups, quotes and the article list.
const (
	actionLookupPage   buttonAction = "l"
	actionQuotesPage   buttonAction = "q"
	actionArticlesPage buttonAction = "a"
	actionArticleKey   buttonAction = "k" // an announced article's key sentences
)

// Footer prefixes: the text a paged reply is about, which its buttons read
// back from the message (custom ids are too short to carry it) and whose
// MAC they carry.
const (
	footerLookup = "Looked up: "
	footerQuotes = "Quotes of: "
	footerIn     = "In: "
)

// choiceKeyPrefix marks an autocomplete value that is an article key, used
// for article ids too long for a choice value (100 characters).
const choiceKeyPrefix = "key:"

// button answers a button press. Anyone may press a button; the answer is
// ephemeral to the presser. The custom id is checked before anything else.
func (b *Bot) button(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	id := i.MessageComponentData().CustomID
	footer := messageFooter(i.Message)
	action := buttonAction("")
	if parts := strings.SplitN(id, ".", 3); len(parts) == 3 {
		action = buttonAction(parts[1])
	}
	var bound string
	switch action {
	case actionMore:
		bound = footerLine(footer, questionFooter)
	case actionLookupPage:
		bound = footerLine(footer, footerLookup)
	case actionQuotesPage:
		bound = footerQuotes + footerLine(footer, footerQuotes)
	}
	bid, err := b.signer.decode(id, b.now(), bound)
	if err != nil {
		return reply{}, err
	}
	var r reply
	switch bid.action {
	case actionMore:
		r, err = b.pressMore(ctx, i, bid, bound)
	case actionContext:
		r, err = b.pressContext(bid)
	case actionLookupPage:
		r, err = b.pressPage(bid, func(page int) (reply, error) { return b.lookupPage(ctx, bound, page) })
	case actionQuotesPage:
		article := corpus.ArticleID(footerLine(footer, footerIn))
		r, err = b.pressPage(bid, func(page int) (reply, error) {
			return b.quotesPage(ctx, strings.TrimPrefix(bound, footerQuotes), article, page)
		})
	case actionArticleKey:
		if len(bid.args) != 1 {
			return reply{}, errButtonTampered
		}
		id, rerr := b.resolveArticle(choiceKeyPrefix + bid.args[0])
		if rerr != nil {
			return reply{}, refuse("That article is no longer here.")
		}
		r, err = b.articleDetails(id)
	case actionArticlesPage:
		r, err = b.pressPage(bid, func(page int) (reply, error) { return b.articleList(ctx, page), nil })
	default:
		return reply{}, errButtonTampered
	}
	r.ephemeral = true
	return r, err
}

func (b *Bot) pressPage(bid buttonID, render func(page int) (reply, error)) (reply, error) {
	if len(bid.args) != 2 {
		return reply{}, errButtonTampered
	}
	page, err := intArg(bid.args[0])
	if err != nil {
		return reply{}, errButtonTampered
	}
	return render(page)
}

// pressMore answers "More": the next quotes of the same question.
func (b *Bot) pressMore(ctx context.Context, i *discordgo.Interaction, bid buttonID, question string) (reply, error) {
	if len(bid.args) != 3 {
		return reply{}, errButtonTampered
	}
	from, err1 := intArg(bid.args[0])
	top, err2 := intArg(bid.args[1])
	if err1 != nil || err2 != nil || from < 1 || top < 1 {
		return reply{}, errButtonTampered
	}
	var article corpus.ArticleID
	if scope := bid.args[2]; scope != "-" {
		id, err := b.resolveArticle(choiceKeyPrefix + scope)
		if err != nil {
			return reply{}, refuse("The article that answer came from is no longer here.")
		}
		article = id
	}
	if err := b.checkCooldown(userID(i)); err != nil {
		return reply{}, b.decline(viaButton, err)
	}
	start := time.Now()
	want := min(from-1+top, retrieval.MaxTop)
	a, err := b.engine.Ask(ctx, retrieval.Query{Text: question, Article: article, Top: want, Guild: guildScope(ctx)})
	if err != nil {
		return reply{}, b.decline(viaButton, err)
	}
	b.metrics.QuestionAnswered(viaButton, a.NoAnswer || len(a.Quotes) < from, time.Since(start))
	if a.NoAnswer || len(a.Quotes) < from {
		return notice("That's all: no more sentences answer that question.", true), nil
	}
	a.Quotes = a.Quotes[from-1:]
	r := answerReply(a, from)
	r.components = b.answerButtons(a, article, from, top)
	return r, nil
}

// pressContext answers "Context": the paragraph around a quote, with the
// paragraphs before and after it.
func (b *Bot) pressContext(bid buttonID) (reply, error) {
	if len(bid.args) != 3 {
		return reply{}, errButtonTampered
	}
	p, err1 := intArg(bid.args[1])
	n, err2 := intArg(bid.args[2])
	if err1 != nil || err2 != nil {
		return reply{}, errButtonTampered
	}
	id, err := b.resolveArticle(choiceKeyPrefix + bid.args[0])
	if err != nil {
		return reply{}, refuse("That article is no longer here, so I can't show its context.")
	}
	a, ok := b.engine.Article(id)
	if !ok {
		return reply{}, refuse("That article is no longer here, so I can't show its context.")
	}
	s, ok := a.Sentence(p, n)
	if !ok {
		return reply{}, refuse("That article has changed since, so I can't show its context.")
	}
	var desc strings.Builder
	if p > 1 {
		fmt.Fprintf(&desc, "%s\n\n", escape(truncate(a.Paragraphs[p-2].Text, 900)))
	}
	for k, other := range a.Paragraphs[p-1].Sentences {
		if k > 0 {
			desc.WriteByte(' ')
		}
		if other.Number == s.Number {
			desc.WriteString("**" + escape(other.Text) + "**")
		} else {
			desc.WriteString(escape(other.Text))
		}
	}
	if p < len(a.Paragraphs) {
		fmt.Fprintf(&desc, "\n\n%s", escape(truncate(a.Paragraphs[p].Text, 900)))
	}
	desc.WriteString("\n\n" + articleLine(a, s))
	e := &discordgo.MessageEmbed{
		Title:       fmt.Sprintf("Context \u00b7 paragraph %d of %d", p, len(a.Paragraphs)),
		Description: desc.String(),
		Color:       colourContext,
	}
	r := reply{embeds: []*discordgo.MessageEmbed{e}}
	fitEmbeds(&r)
	return r, nil
}

// messageFooter is the footer text of a message's last embed.
func messageFooter(m *discordgo.Message) string {
	if m == nil || len(m.Embeds) == 0 {
		return ""
	}
	e := m.Embeds[len(m.Embeds)-1]
	if e.Footer == nil {
		return ""
	}
	return e.Footer.Text
}

// footerLine returns the rest of the footer line that starts with prefix.
func footerLine(footer, prefix string) string {
	for _, line := range strings.Split(footer, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return rest
		}
	}
	return ""
}
