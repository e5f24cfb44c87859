package bot

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// Discord's limits on what one message may hold.
const (
	maxContent     = 2000
	maxDescription = 4096
	maxEmbedTotal  = 6000
	maxEmbeds      = 10
	maxFields      = 25
	maxChoices     = 25
	maxChoiceName  = 100
	maxFooter      = 2048
	maxTitle       = 256
)

// Colours of the embeds.
const (
	colourAnswer  = 0x2b6cb0
	colourNear    = 0x718096
	colourNotice  = 0xc05621
	colourContext = 0x4a5568
)

// reply is a message the bot is about to send, in whatever way: an
// interaction response, an edit of one, or a channel message.
type reply struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	ephemeral  bool
}

// noMentions is the allowed_mentions of every message the bot sends: parse
// nothing, ping nobody, not even the person replied to. Parse must be an
// empty list, not null, or Discord applies its defaults.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func (r reply) flags() discordgo.MessageFlags {
	if r.ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// interactionData is the reply as an interaction response.
func (r reply) interactionData() *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content:         r.content,
		Embeds:          nonNilEmbeds(r.embeds),
		Components:      nonNilComponents(r.components),
		AllowedMentions: noMentions(),
		Flags:           r.flags(),
	}
}

// webhookEdit is the reply as an edit of a deferred interaction response.
func (r reply) webhookEdit() *discordgo.WebhookEdit {
	content := r.content
	embeds := nonNilEmbeds(r.embeds)
	components := nonNilComponents(r.components)
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &embeds,
		Components:      &components,
		AllowedMentions: noMentions(),
	}
}

// messageSend is the reply as a channel message, answering ref when set.
func (r reply) messageSend(ref *discordgo.MessageReference) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         r.content,
		Embeds:          r.embeds,
		Components:      r.components,
		AllowedMentions: noMentions(),
		Reference:       ref,
	}
}

func nonNilEmbeds(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func nonNilComponents(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}

// notice is a short plain reply: a refusal, an error, a cooldown.
func notice(text string, ephemeral bool) reply {
	return reply{content: truncate(text, maxContent), ephemeral: ephemeral}
}

// questionFooter marks the question an answer answers, in its last
// embed's footer. Footers render as plain text (no markdown, no mentions),
// so the question is shown as typed; the "More" button reads it back.
const questionFooter = "Asked: "

// answerReply renders an answer: one embed per quote (a block quote, then
// its attribution), or a plain "no answer" with the near misses marked as
// such. from is the 1-based rank of the first quote shown.
func answerReply(a *retrieval.Answer, from int) reply {
	var r reply
	if a.NoAnswer {
		r.content = "I found no sentence in the articles that answers that."
		if len(a.Suggestions) > 0 {
			r.content += " The closest ones, which may not answer it:"
			for _, q := range a.Suggestions {
				// A near miss answers nothing: no words of it in bold.
				q.Answer = ""
				e := quoteEmbed(q, 0)
				e.Color = colourNear
				r.embeds = append(r.embeds, e)
			}
		} else {
			r.content += " Try other words, or `/lookup` a name or term."
		}
	} else {
		for i, q := range a.Quotes {
			r.embeds = append(r.embeds, quoteEmbed(q, from+i))
		}
	}
	footer := truncate(questionFooter+a.Question, maxFooter)
	if len(r.embeds) > 0 {
		r.embeds[len(r.embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	fitEmbeds(&r)
	return r
}

// quoteEmbed renders one quote: the sentence as a block quote, the speaker
// and role when it reports speech, then the article line: title (linked to
// the sentence itself where the article has a URL), outlet, date,
// paragraph. rank 0 omits the number.
func quoteEmbed(q retrieval.Quote, rank int) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Description: quoteBody(q) + articleLine(q.Article, q.Sentence), Color: colourAnswer}
	if rank > 0 {
		e.Title = fmt.Sprintf("#%d", rank)
	}
	return e
}

// quoteBody is a quote's sentence as a block quote, the words that answer
// the question in bold, then the speaker and role when it reports speech,
// each line ended.
func quoteBody(q retrieval.Quote) string {
	var b strings.Builder
	b.WriteString("> ")
	if q.Answer != "" {
		q.Highlights = []retrieval.Span{q.AnswerSpan}
		b.WriteString(highlighted(q))
	} else {
		b.WriteString(escape(q.Text))
	}
	b.WriteString("\n")
	if q.Speaker != "" {
		b.WriteString("\u2014 **")
		b.WriteString(escape(q.Speaker))
		b.WriteString("**")
		if q.Role != "" {
			b.WriteString(", ")
			b.WriteString(escape(q.Role))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// articleLine is a quote's attribution: [title](link) · outlet / agency ·
// date · ¶ paragraph.
func articleLine(a *corpus.Article, s corpus.Sentence) string {
	title := escape(a.Title)
	if link := fragmentLink(a.URL, s.Text); link != "" {
		title = "[" + title + "](" + linkURL(link) + ")"
	} else {
		title = "*" + title + "*"
	}
	parts := []string{title}
	if meta := articleMeta(a); meta != "" {
		parts = append(parts, meta)
	}
	parts = append(parts, fmt.Sprintf("\u00b6 %d", s.Paragraph))
	return strings.Join(parts, " \u00b7 ")
}

// articleMeta is an article's outlet (with its agency) and date: "The
// Irish Times / PA · 2007-03-10", or "" when it has neither.
func articleMeta(a *corpus.Article) string {
	var parts []string
	outlet := a.Source
	if a.Agency != "" {
		outlet = strings.TrimPrefix(outlet+" / "+a.Agency, " / ")
	}
	if outlet != "" {
		parts = append(parts, escape(outlet))
	}
	if d := a.Date(); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, " \u00b7 ")
}

// fitEmbeds keeps a reply within Discord's limits: at most 10 embeds, each
// description within 4096, all text within 6000, shortening the longest
// descriptions first at sentence or word boundaries.
func fitEmbeds(r *reply) {
	r.content = truncate(r.content, maxContent)
	if len(r.embeds) > maxEmbeds {
		r.embeds = r.embeds[:maxEmbeds]
	}
	for _, e := range r.embeds {
		e.Description = truncate(e.Description, maxDescription)
		e.Title = truncate(e.Title, maxTitle)
		if e.Footer != nil {
			e.Footer.Text = truncate(e.Footer.Text, maxFooter)
		}
	}
	for embedsSize(r.embeds) > maxEmbedTotal {
		longest := r.embeds[0]
		for _, e := range r.embeds[1:] {
			if len(e.Description) > len(longest.Description) {
				longest = e
			}
		}
		over := embedsSize(r.embeds) - maxEmbedTotal
		if len(longest.Description) <= over+16 {
			// Nothing left to shorten: drop the last embed instead.
			r.embeds = r.embeds[:len(r.embeds)-1]
			continue
		}
		longest.Description = truncate(longest.Description, len(longest.Description)-over-1)
	}
}

// embedsSize counts the characters Discord counts against the 6000 limit.
func embedsSize(es []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range es {
		n += len(e.Title) + len(e.Description)
		if e.Footer != nil {
			n += len(e.Footer.Text)
		}
		if e.Author != nil {
			n += len(e.Author.Name)
		}
		for _, f := range e.Fields {
			n += len(f.Name) + len(f.Value)
		}
	}
	return n
}
