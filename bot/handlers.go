package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// Page sizes of paginated replies.
const (
	lookupPage   = 5
	quotesPage   = 5
	articlesPage = 10
	maxResults   = 5 // /ask results
)

// checkCooldown applies the per-user question limit.
func (b *Bot) checkCooldown(user string) error {
	if !b.cool.allow(user, b.now()) {
		return &userError{reason: "cooldown", msg: fmt.Sprintf("You're asking faster than I can keep up with: please wait %s and ask again.",
			roundUp(b.cool.retryIn(user, b.now())))}
	}
	return nil
}

func (b *Bot) cmdAsk(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	question := optString(i, "question")
	if _, err := retrieval.CheckQuestion(question); err != nil {
		return reply{}, b.decline(viaCommand, err)
	}
	if err := b.checkCooldown(userID(i)); err != nil {
		return reply{}, b.decline(viaCommand, err)
	}
	article, err := b.resolveArticle(optString(i, "article"))
	if err != nil {
		return reply{}, b.decline(viaCommand, err)
	}
	top := min(max(optInt(i, "results", retrieval.DefaultTop), 1), maxResults)
	b.log.Debug("question", "user", userID(i), "question", question)
	r, err := b.answer(ctx, viaCommand, question, article, top)
	r.ephemeral = optBool(i, "hide")
	return r, err
}

func (b *Bot) cmdAskMessage(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	data := i.ApplicationCommandData()
	var question string
	if data.Resolved != nil && data.Resolved.Messages != nil {
		if m := data.Resolved.Messages[data.TargetID]; m != nil {
			question = b.stripMentions(m.Content)
		}
	}
	if _, err := retrieval.CheckQuestion(question); err != nil {
		b.decline(viaCommand, err)
		return reply{}, refuse("That message has no question I can answer (it needs some words, at most %d characters).", retrieval.MaxQuestionRune)
	}
	if err := b.checkCooldown(userID(i)); err != nil {
		return reply{}, b.decline(viaCommand, err)
	}
	return b.answer(ctx, viaCommand, question, "", retrieval.DefaultTop)
}

// answer asks the engine and renders the answer with its buttons,
// counting it (or its failure) in the metrics under via.
func (b *Bot) answer(ctx context.Context, via, question string, article corpus.ArticleID, top int) (reply, error) {
	start := time.Now()
	a, err := b.engine.Ask(ctx, retrieval.Query{Text: question, Article: article, Top: top, Guild: guildScope(ctx)})
	if err != nil {
		return reply{}, b.decline(via, err)
	}
	r := answerReply(a, 1)
	r.components = b.answerButtons(a, article, 1, top)
	b.metrics.QuestionAnswered(via, a.NoAnswer, time.Since(start))
	return r, nil
}

// answerButtons are the buttons under an answer: "More" when there may be
// further quotes, and "Context" for each quote shown.
func (b *Bot) answerButtons(a *retrieval.Answer, article corpus.ArticleID, from, top int) []discordgo.MessageComponent {
	quotes := a.Quotes
	if a.NoAnswer {
		quotes = a.Suggestions
	}
	now := b.now()
	var buttons []discordgo.MessageComponent
	next := from + len(a.Quotes)
	if !a.NoAnswer && len(a.Quotes) == top && next <= retrieval.MaxTop {
		scope := "-"
		if article != "" {
			scope = articleKey(string(article))
		}
		buttons = append(buttons, discordgo.Button{
			Label: "More", Style: discordgo.PrimaryButton,
			CustomID: b.signer.encode(actionMore, now, a.Question, fmtInt(next), fmtInt(top), scope),
		})
	}
	for k, q := range quotes {
		label := "Context"
		if len(quotes) > 1 {
			label = fmt.Sprintf("Context #%d", from+k)
			if a.NoAnswer {
				label = fmt.Sprintf("Context %d", k+1)
			}
		}
		buttons = append(buttons, discordgo.Button{
			Label: label, Style: discordgo.SecondaryButton,
			CustomID: b.signer.encode(actionContext, now, "", articleKey(string(q.Article.ID)), fmtInt(q.Paragraph), fmtInt(q.Number)),
		})
	}
	return rows(buttons)
}

// rows lays buttons out five to a row (Discord's limit), at most five rows.
func rows(buttons []discordgo.MessageComponent) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for len(buttons) > 0 && len(out) < 5 {
		n := min(5, len(buttons))
		out = append(out, discordgo.ActionsRow{Components: buttons[:n]})
		buttons = buttons[n:]
	}
	return out
}

func (b *Bot) cmdLookup(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	return b.lookupPage(ctx, optString(i, "term"), 0)
}

// lookupPage renders one page of a lookup, with its term in the footer
// (where the page buttons read it back) and Previous/Next buttons.
func (b *Bot) lookupPage(ctx context.Context, term string, page int) (reply, error) {
	l, err := b.engine.LookupIn(ctx, term, "", guildScope(ctx), lookupLimit)
	if err != nil {
		return reply{}, err
	}
	if len(l.Quotes) == 0 {
		return reply{content: "No sentence contains \u201c" + escape(l.Term) + "\u201d."}, nil
	}
	shown, page, pages := pageOf(l.Quotes, lookupPage, page)
	var r reply
	r.content = fmt.Sprintf("%d %s \u201c%s\u201d:", l.Total, plural(l.Total, "sentence contains", "sentences contain"), escape(l.Term))
	for _, q := range shown {
		e := quoteEmbed(q, 0)
		e.Description = "> " + highlighted(q) + e.Description[strings.IndexByte(e.Description, '\n'):]
		r.embeds = append(r.embeds, e)
	}
	footer := footerLookup + l.Term
	if pages > 1 {
		footer += fmt.Sprintf("\nPage %d of %d", page+1, pages)
		if l.Total > len(l.Quotes) {
			footer += fmt.Sprintf(" (the first %d of %d)", len(l.Quotes), l.Total)
		}
	}
	r.embeds[len(r.embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: truncate(footer, maxFooter)}
	r.components = b.pageButtons(actionLookupPage, l.Term, page, pages)
	fitEmbeds(&r)
	return r, nil
}

// pageOf splits items into pages of per and returns the items of page
// (brought into range), that page, and the number of pages (at least 1).
func pageOf[T any](items []T, per, page int) (shown []T, at, pages int) {
	pages = max(1, (len(items)+per-1)/per)
	at = min(max(page, 0), pages-1)
	return items[at*per : min(len(items), (at+1)*per)], at, pages
}

// lookupLimit caps the sentences a lookup pages through.
const lookupLimit = 50

// highlighted is a quote's text, escaped, with its highlights in bold.
func highlighted(q retrieval.Quote) string {
	var b strings.Builder
	at := 0
	for _, h := range q.Highlights {
		if h.Start < at || h.End > len(q.Text) || h.Start >= h.End {
			continue
		}
		b.WriteString(escape(q.Text[at:h.Start]))
		b.WriteString("**")
		b.WriteString(escape(q.Text[h.Start:h.End]))
		b.WriteString("**")
		at = h.End
	}
	b.WriteString(escape(q.Text[at:]))
	return b.String()
}

// pageButtons are Previous/Next buttons, bound to the text in the footer.
func (b *Bot) pageButtons(action buttonAction, bound string, page, pages int) []discordgo.MessageComponent {
	if pages <= 1 {
		return nil
	}
	now := b.now()
	return rows([]discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, Disabled: page == 0,
			CustomID: b.signer.encode(action, now, bound, fmtInt(max(page-1, 0)), "p")},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, Disabled: page >= pages-1,
			CustomID: b.signer.encode(action, now, bound, fmtInt(min(page+1, pages-1)), "n")},
	})
}

func (b *Bot) cmdQuotes(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	article, err := b.resolveArticle(optString(i, "article"))
	if err != nil {
		return reply{}, err
	}
	return b.quotesPage(ctx, optString(i, "speaker"), article, 0)
}

// quotesPage renders one page of what a speaker is quoted as saying, in
// the articles answered where it was asked (guildScope).
func (b *Bot) quotesPage(ctx context.Context, speaker string, article corpus.ArticleID, page int) (reply, error) {
	// The name is shown in the footer, as plain text: without the
	// invisible characters that could reorder or hide it.
	speaker = plain(speaker)
	if speaker == "" {
		return reply{}, refuse("Name someone to list the quotes of.")
	}
	ss := b.engine.QuotesByIn(speaker, article, guildScope(ctx))
	if len(ss) == 0 {
		return reply{content: "I have no quotes from \u201c" + escape(speaker) + "\u201d. Pick a name from the list as you type."}, nil
	}
	shown, page, pages := pageOf(ss, quotesPage, page)
	var r reply
	r.content = fmt.Sprintf("%s is quoted in %d %s:", escape(ss[0].Speaker), len(ss), plural(len(ss), "sentence", "sentences"))
	arts := map[corpus.ArticleID]*corpus.Article{}
	for _, a := range b.engine.Articles() {
		arts[a.ID] = a
	}
	for _, s := range shown {
		r.embeds = append(r.embeds, quoteEmbed(retrieval.Quote{Sentence: s, Article: arts[s.Article]}, 0))
	}
	footer := footerQuotes + speaker
	if article != "" {
		footer += "\n" + footerIn + string(article)
	}
	if pages > 1 {
		footer += fmt.Sprintf("\nPage %d of %d", page+1, pages)
	}
	r.embeds[len(r.embeds)-1].Footer = &discordgo.MessageEmbedFooter{Text: truncate(footer, maxFooter)}
	r.components = b.pageButtons(actionQuotesPage, footerQuotes+speaker, page, pages)
	fitEmbeds(&r)
	return r, nil
}

// cmdArticle answers /article show [article] and /article add url, and
// the flat form of older clients and registrations, /article [article]:
// no subcommand is "show".
func (b *Bot) cmdArticle(ctx context.Context, i *discordgo.Interaction) (reply, error) {
	if opts := i.ApplicationCommandData().Options; len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		switch opts[0].Name {
		case subShow:
		case subAdd:
			return b.articleAdd(ctx, i)
		default:
			return reply{}, refuse("I don't know %s: use `/article show` or `/article add`.", code("/article "+opts[0].Name))
		}
	}
	raw := optString(i, "article")
	if strings.TrimSpace(raw) == "" {
		return b.articleList(ctx, 0), nil
	}
	id, err := b.resolveArticle(raw)
	if err != nil {
		return reply{}, err
	}
	if a, ok := b.engine.Article(id); ok && !visible(a, guildScope(ctx)) {
		return reply{}, retrieval.ErrUnknownArticle
	}
	return b.articleDetails(id)
}

// articleList renders one page of the articles, newest first.
func (b *Bot) articleList(ctx context.Context, page int) reply {
	arts := visibleArticles(b.engine.Articles(), guildScope(ctx))
	shown, page, pages := pageOf(arts, articlesPage, page)
	var lines []string
	for _, a := range shown {
		line := "**" + escape(a.Title) + "**"
		var meta []string
		if a.Source != "" {
			meta = append(meta, escape(a.Source))
		}
		if d := a.Date(); d != "" {
			meta = append(meta, d)
		}
		if len(meta) > 0 {
			line += " \u00b7 " + strings.Join(meta, " \u00b7 ")
		}
		lines = append(lines, line)
	}
	e := &discordgo.MessageEmbed{
		Title:       fmt.Sprintf("%d %s", len(arts), plural(len(arts), "article", "articles")),
		Description: strings.Join(lines, "\n"),
		Color:       colourAnswer,
	}
	if pages > 1 {
		e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("Page %d of %d", page+1, pages)}
	}
	r := reply{embeds: []*discordgo.MessageEmbed{e}}
	r.components = b.pageButtons(actionArticlesPage, "", page, pages)
	fitEmbeds(&r)
	return r
}

// articleDetails renders one article: its details, key sentences and link.
func (b *Bot) articleDetails(id corpus.ArticleID) (reply, error) {
	a, ok := b.engine.Article(id)
	if !ok {
		return reply{}, retrieval.ErrUnknownArticle
	}
	key, err := b.engine.KeySentences(id, retrieval.DefaultKeySentences)
	if err != nil {
		return reply{}, err
	}
	var desc strings.Builder
	desc.WriteString("**Key sentences**\n")
	for _, q := range key {
		fmt.Fprintf(&desc, "> %s\n", escape(q.Text))
	}
	e := &discordgo.MessageEmbed{Title: truncate(escape(a.Title), maxTitle), Description: desc.String(), Color: colourAnswer}
	if u := fragmentLink(a.URL, ""); u != "" {
		e.URL = a.URL
	}
	add := func(name, value string) {
		if value != "" {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: truncate(escape(value), 1024), Inline: true})
		}
	}
	add("Source", a.Source)
	add("Agency", a.Agency)
	add("Author", a.Author)
	add("Published", a.Date())
	sentences := 0
	for _, p := range a.Paragraphs {
		sentences += len(p.Sentences)
	}
	add("Length", fmt.Sprintf("%d paragraphs, %d sentences", len(a.Paragraphs), sentences))
	if speakers := articleSpeakers(a); len(speakers) > 0 {
		add("Quoted", strings.Join(speakers, ", "))
	}
	r := reply{embeds: []*discordgo.MessageEmbed{e}}
	fitEmbeds(&r)
	return r, nil
}

// articleSpeakers lists who an article quotes, in order of first quote.
func articleSpeakers(a *corpus.Article) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range a.Sentences() {
		if s.Speaker != "" && !seen[s.Speaker] {
			seen[s.Speaker] = true
			out = append(out, s.Speaker)
		}
	}
	return out
}

func (b *Bot) cmdHelp(context.Context, *discordgo.Interaction) (reply, error) {
	return reply{embeds: []*discordgo.MessageEmbed{{
		Title: "verbatim: answers quoted word for word",
		Description: "I answer questions about the news articles I hold by quoting their own sentences, " +
			"word for word, with who said them and where. I never paraphrase: if no sentence answers, I say so.\n\n" +
			"**Ask** \u2014 `/ask question:` (optionally pick an `article:`, up to 5 `results:`, or `hide:` it), " +
			"mention me with a question, or send me a direct message.\n" +
			"**Look up** \u2014 `/lookup term:` lists the sentences with a word or phrase.\n" +
			"**Who said what** \u2014 `/quotes speaker:` lists what someone is quoted as saying.\n" +
			"**Articles** \u2014 `/article show` lists them; pick one for its key sentences and link. " +
			"`/article add url:` adds a news page to this server's articles (needs Manage Server).\n" +
			"**Digest** \u2014 `/digest subscribe` posts the key sentences of new articles here each day (needs Manage Server).\n\n" +
			"Under an answer, **More** shows the next quotes and **Context** the paragraph around a quote.",
		Color: colourAnswer,
	}}, ephemeral: true}, nil
}

// resolveArticle turns an article option into an article id: the id an
// autocomplete choice carries, a short key for long ids, or a title or id
// typed by hand (any case). "" means no article.
func (b *Bot) resolveArticle(v string) (corpus.ArticleID, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	arts := b.engine.Articles()
	for _, a := range arts {
		if a.ID == corpus.ArticleID(v) {
			return a.ID, nil
		}
	}
	key := strings.TrimPrefix(v, choiceKeyPrefix)
	slices.SortFunc(arts, func(a, b *corpus.Article) int { return strings.Compare(string(a.ID), string(b.ID)) })
	for _, a := range arts {
		if strings.EqualFold(string(a.ID), v) || strings.EqualFold(a.Title, v) || articleKey(string(a.ID)) == key {
			return a.ID, nil
		}
	}
	return "", retrieval.ErrUnknownArticle
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
