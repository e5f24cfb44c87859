package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// autocomplete answers an autocomplete request with at most 25 choices for
// the focused option. It never fails: on trouble it offers nothing.
func (b *Bot) autocomplete(i *discordgo.Interaction) []*discordgo.ApplicationCommandOptionChoice {
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range options(i) {
		if o.Focused {
			focused = o
			break
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if focused == nil {
		return choices
	}
	typed, _ := focused.Value.(string)
	typed = strings.TrimSpace(typed)
	if utf8.RuneCountInString(typed) > 100 {
		return choices
	}
	switch focused.Name {
	case "article":
		return b.articleChoices(typed, scopeOf(i.GuildID))
	case "term":
		return b.termChoices(typed, scopeOf(i.GuildID))
	case "speaker":
		return b.speakerChoices(typed, scopeOf(i.GuildID))
	case "timezone":
		return timezoneChoices(typed)
	}
	return choices
}

// choice makes a choice, cutting its name and value to Discord's 100.
func choice(name, value string) *discordgo.ApplicationCommandOptionChoice {
	return &discordgo.ApplicationCommandOptionChoice{Name: truncate(name, maxChoiceName), Value: truncate(value, 100)}
}

// articleChoices offers the articles whose title or id contains what was
// typed (any case), newest first.
func (b *Bot) articleChoices(typed, scope string) []*discordgo.ApplicationCommandOptionChoice {
	needle := strings.ToLower(typed)
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, a := range visibleArticles(b.engine.Articles(), scope) {
		if len(out) == maxChoices {
			break
		}
		if needle != "" && !strings.Contains(strings.ToLower(a.Title), needle) &&
			!strings.Contains(strings.ToLower(string(a.ID)), needle) {
			continue
		}
		name := a.Title
		if d := a.Date(); d != "" {
			name = truncate(name, maxChoiceName-len(d)-3) + " (" + d + ")"
		}
		value := string(a.ID)
		if len(value) > 100 {
			value = choiceKeyPrefix + articleKey(value)
		}
		out = append(out, choice(name, value))
	}
	return out
}

// termChoices completes a lookup term: the speakers and words of the
// articles answered in scope that begin with what was typed.
func (b *Bot) termChoices(typed, scope string) []*discordgo.ApplicationCommandOptionChoice {
	out := []*discordgo.ApplicationCommandOptionChoice{}
	seen := map[string]bool{}
	add := func(s string) {
		if k := strings.ToLower(s); !seen[k] && len(out) < maxChoices {
			seen[k] = true
			out = append(out, choice(s, s))
		}
	}
	lower := strings.ToLower(typed)
	for _, sp := range b.engine.SpeakersIn(scope) {
		if typed != "" && strings.HasPrefix(strings.ToLower(sp.Name), lower) {
			add(sp.Name)
		}
		if len(out) >= maxChoices/3 {
			break
		}
	}
	terms, err := b.engine.TermsIn(typed, scope, maxChoices)
	if err != nil {
		b.log.Warn("autocomplete terms", "err", err)
	}
	for _, t := range terms {
		add(t)
	}
	return out
}

// speakerChoices offers the speakers of the articles answered in scope
// whose name contains what was typed, the most quoted first.
func (b *Bot) speakerChoices(typed, scope string) []*discordgo.ApplicationCommandOptionChoice {
	needle := strings.ToLower(typed)
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, sp := range b.engine.SpeakersIn(scope) {
		if len(out) == maxChoices {
			break
		}
		if needle == "" || strings.Contains(strings.ToLower(sp.Name), needle) {
			out = append(out, choice(sp.Name, sp.Name))
		}
	}
	return out
}

// timezoneChoices offers IANA zone names containing what was typed.
func timezoneChoices(typed string) []*discordgo.ApplicationCommandOptionChoice {
	needle := strings.ToLower(strings.ReplaceAll(typed, " ", "_"))
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, z := range zoneNames {
		if len(out) == maxChoices {
			break
		}
		if strings.Contains(strings.ToLower(z), needle) {
			out = append(out, choice(z, z))
		}
	}
	return out
}
