package discordtest

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Discord's documented limits that the fake enforces.
const (
	maxContent         = 2000
	maxEmbeds          = 10
	maxEmbedTotal      = 6000
	maxEmbedTitle      = 256
	maxEmbedDesc       = 4096
	maxEmbedFields     = 25
	maxFieldName       = 256
	maxFieldValue      = 1024
	maxFooterText      = 2048
	maxAuthorName      = 256
	maxActionRows      = 5
	maxRowButtons      = 5
	maxCustomID        = 100
	maxButtonLabel     = 80
	maxSelectOptions   = 25
	maxNonce           = 25
	maxChoices         = 25
	maxChoiceName      = 100
	maxChoiceValue     = 100
	maxThreadName      = 100
	maxCommands        = 100
	maxCommandOptions  = 25
	maxCommandName     = 32
	maxCommandDesc     = 100
	flagComponentsV2   = 1 << 15
	componentActionRow = 1
	componentButton    = 2
	buttonStyleLink    = 5
	buttonStylePremium = 6
)

// formErrors collects the field errors of an Invalid Form Body answer.
type formErrors struct {
	errs  []fieldError
	empty bool // the message would have nothing to show
}

type fieldError struct {
	path    string // dotted, as "embeds.0.description"
	code    string
	message string
}

func (fe *formErrors) add(path, code, format string, args ...any) {
	fe.errs = append(fe.errs, fieldError{path, code, fmt.Sprintf(format, args...)})
}

func (fe *formErrors) maxLen(path, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", limit)
	}
}

// err returns the 400 Invalid Form Body error, or nil if nothing was
// wrong. Its "errors" nest the way Discord's do:
// {"embeds": {"0": {"description": {"_errors": [{code, message}]}}}}.
//
// A payload with no other error that would make an empty message gets 400
// Cannot send an empty message (50006) instead.
func (fe *formErrors) err() *apiError {
	if len(fe.errs) == 0 {
		if fe.empty {
			return errEmptyMessage()
		}
		return nil
	}
	root := map[string]any{}
	for _, e := range fe.errs {
		node := root
		for _, part := range strings.Split(e.path, ".") {
			next, _ := node[part].(map[string]any)
			if next == nil {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]any{"code": e.code, "message": e.message})
	}
	ae := newAPIError(http.StatusBadRequest, 50035, "Invalid Form Body")
	ae.errors = root
	return ae
}

// join makes a dotted path.
func join(prefix string, parts ...any) string {
	s := prefix
	for _, p := range parts {
		if s != "" {
			s += "."
		}
		s += fmt.Sprint(p)
	}
	return s
}

// messageRules says what a message payload may be.
type messageRules struct {
	allowEmpty bool // a deferral or a partial update may be empty
}

// validateMessage checks a message payload (a message create or edit, an
// interaction response's data, a webhook message) against Discord's limits,
// prefixing field paths with prefix.
func validateMessage(fe *formErrors, prefix string, m map[string]any, rules messageRules) {
	content := str(m, "content")
	fe.maxLen(join(prefix, "content"), content, maxContent)

	embeds, _ := m["embeds"].([]any)
	if len(embeds) > maxEmbeds {
		fe.add(join(prefix, "embeds"), "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxEmbeds)
	}
	total := 0
	for i, e := range embeds {
		em, ok := e.(map[string]any)
		if !ok {
			fe.add(join(prefix, "embeds", i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		total += validateEmbed(fe, join(prefix, "embeds", i), em)
	}
	if total > maxEmbedTotal {
		fe.add(join(prefix, "embeds"), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of %d", maxEmbedTotal)
	}

	comps, _ := m["components"].([]any)
	if num(m, "flags")&flagComponentsV2 == 0 {
		validateComponents(fe, join(prefix, "components"), comps)
	}

	if v, ok := m["nonce"]; ok && v != nil {
		if s, isStr := v.(string); isStr {
			fe.maxLen(join(prefix, "nonce"), s, maxNonce)
		}
	}
	if am, ok := m["allowed_mentions"].(map[string]any); ok {
		parse, _ := am["parse"].([]any)
		for i, p := range parse {
			if s, _ := p.(string); s != "users" && s != "roles" && s != "everyone" {
				fe.add(join(prefix, "allowed_mentions", "parse", i), "BASE_TYPE_CHOICES", "Value must be one of {'users', 'roles', 'everyone'}.")
			}
			if s, _ := p.(string); (s == "users" || s == "roles") && len(anySlice(am[s])) > 0 {
				fe.add(join(prefix, "allowed_mentions"), "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"%s\"] and %s: [ids...] are mutually exclusive.", s, s)
			}
		}
	}

	if !rules.allowEmpty && strings.TrimSpace(content) == "" && len(embeds) == 0 && len(comps) == 0 &&
		len(anySlice(m["sticker_ids"])) == 0 && len(anySlice(m["attachments"])) == 0 && m["poll"] == nil {
		fe.empty = true
	}
}

func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// validateEmbed checks one embed and returns its size in characters.
func validateEmbed(fe *formErrors, path string, e map[string]any) int {
	size := 0
	count := func(field, s string, limit int) {
		fe.maxLen(join(path, field), s, limit)
		size += utf8.RuneCountInString(s)
	}
	count("title", str(e, "title"), maxEmbedTitle)
	count("description", str(e, "description"), maxEmbedDesc)
	if f, ok := e["footer"].(map[string]any); ok {
		count("footer.text", str(f, "text"), maxFooterText)
	}
	if a, ok := e["author"].(map[string]any); ok {
		count("author.name", str(a, "name"), maxAuthorName)
	}
	fields := anySlice(e["fields"])
	if len(fields) > maxEmbedFields {
		fe.add(join(path, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxEmbedFields)
	}
	for i, x := range fields {
		fd, _ := x.(map[string]any)
		name, value := str(fd, "name"), str(fd, "value")
		if name == "" {
			fe.add(join(path, "fields", i, "name"), "BASE_TYPE_REQUIRED", "This field is required")
		}
		if value == "" {
			fe.add(join(path, "fields", i, "value"), "BASE_TYPE_REQUIRED", "This field is required")
		}
		count(join("fields", i, "name"), name, maxFieldName)
		count(join("fields", i, "value"), value, maxFieldValue)
	}
	return size
}

// validateComponents checks classic components: action rows of buttons or
// one select menu, with unique custom ids.
func validateComponents(fe *formErrors, path string, comps []any) {
	if len(comps) > maxActionRows {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxActionRows)
	}
	seen := map[string]bool{}
	for i, r := range comps {
		row, _ := r.(map[string]any)
		rp := join(path, i)
		if num(row, "type") != componentActionRow {
			fe.add(join(rp, "type"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Top-level components must be action rows")
			continue
		}
		children := anySlice(row["components"])
		if len(children) == 0 || len(children) > maxRowButtons {
			fe.add(join(rp, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxRowButtons)
		}
		for j, c := range children {
			comp, _ := c.(map[string]any)
			cp := join(rp, "components", j)
			id := str(comp, "custom_id")
			if num(comp, "type") == componentButton {
				fe.maxLen(join(cp, "label"), str(comp, "label"), maxButtonLabel)
				switch style := num(comp, "style"); {
				case style == buttonStyleLink:
					if str(comp, "url") == "" {
						fe.add(join(cp, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A url is required")
					}
					if id != "" {
						fe.add(join(cp, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id cannot be specified")
					}
					continue
				case style == buttonStylePremium:
					continue
				}
			} else if len(children) > 1 {
				fe.add(join(rp, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width")
			}
			if num(comp, "type") != componentButton {
				if opts := anySlice(comp["options"]); len(opts) > maxSelectOptions {
					fe.add(join(cp, "options"), "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxSelectOptions)
				}
			}
			if id == "" {
				fe.add(join(cp, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
				continue
			}
			fe.maxLen(join(cp, "custom_id"), id, maxCustomID)
			if seen[id] {
				fe.add(join(cp, "custom_id"), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
			}
			seen[id] = true
		}
	}
}

// validateChoices checks an autocomplete answer's choices.
func validateChoices(fe *formErrors, path string, choices []any) {
	if len(choices) > maxChoices {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxChoices)
	}
	for i, c := range choices {
		ch, _ := c.(map[string]any)
		name := str(ch, "name")
		if n := utf8.RuneCountInString(name); n < 1 || n > maxChoiceName {
			fe.add(join(path, i, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxChoiceName)
		}
		switch v := ch["value"].(type) {
		case string:
			fe.maxLen(join(path, i, "value"), v, maxChoiceValue)
		case nil:
			fe.add(join(path, i, "value"), "BASE_TYPE_REQUIRED", "This field is required")
		}
	}
}

// commandNameOK applies Discord's rule for CHAT_INPUT command and option
// names: 1 to 32 lowercase letters, digits, "-", "_" or "'".
func commandNameOK(name string) bool {
	if n := utf8.RuneCountInString(name); n < 1 || n > maxCommandName {
		return false
	}
	if strings.ToLower(name) != name {
		return false
	}
	return chatNameRE().MatchString(name)
}

func chatNameRE() *regexp.Regexp {
	return regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)
}

// validateCommands checks a bulk overwrite of application commands.
func validateCommands(fe *formErrors, cmds []any) {
	if len(cmds) > maxCommands {
		fe.add("_", "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxCommands)
	}
	seen := map[string]bool{}
	for i, c := range cmds {
		cmd, ok := c.(map[string]any)
		p := strconv.Itoa(i)
		if !ok {
			fe.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		typ := num(cmd, "type")
		if typ == 0 {
			typ = 1
		}
		name := str(cmd, "name")
		key := strconv.Itoa(typ) + "/" + name
		if seen[key] {
			fe.add(join(p, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[key] = true
		desc := str(cmd, "description")
		if typ == 1 {
			if !commandNameOK(name) {
				fe.add(join(p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
			}
			if n := utf8.RuneCountInString(desc); n < 1 || n > maxCommandDesc {
				fe.add(join(p, "description"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxCommandDesc)
			}
			validateOptions(fe, join(p, "options"), anySlice(cmd["options"]))
		} else {
			if n := utf8.RuneCountInString(name); n < 1 || n > maxCommandName {
				fe.add(join(p, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxCommandName)
			}
			if desc != "" {
				fe.add(join(p, "description"), "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED", "Context menu commands cannot have description")
			}
			if len(anySlice(cmd["options"])) > 0 {
				fe.add(join(p, "options"), "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED", "Context menu commands cannot have options")
			}
		}
	}
}

// validateOptions checks command options, recursively for subcommands.
func validateOptions(fe *formErrors, path string, opts []any) {
	if len(opts) > maxCommandOptions {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", maxCommandOptions)
	}
	optional := false
	seen := map[string]bool{}
	subs := 0
	for _, o := range opts {
		opt, _ := o.(map[string]any)
		if t := num(opt, "type"); t == 1 || t == 2 {
			subs++
		}
	}
	if subs > 0 && subs < len(opts) {
		// Discord: subcommands and groups cannot sit beside other options.
		fe.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command and sub-command group option types are mutually exclusive to all other types")
	}
	for i, o := range opts {
		opt, _ := o.(map[string]any)
		p := join(path, i)
		name := str(opt, "name")
		if !commandNameOK(name) {
			fe.add(join(p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		if seen[name] {
			fe.add(join(p, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		seen[name] = true
		if n := utf8.RuneCountInString(str(opt, "description")); n < 1 || n > maxCommandDesc {
			fe.add(join(p, "description"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", maxCommandDesc)
		}
		typ := num(opt, "type")
		if typ == 1 || typ == 2 { // subcommand, subcommand group
			validateOptions(fe, join(p, "options"), anySlice(opt["options"]))
			continue
		}
		required, _ := opt["required"].(bool)
		if required && optional {
			fe.add(p, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		}
		if !required {
			optional = true
		}
		auto, _ := opt["autocomplete"].(bool)
		choices := anySlice(opt["choices"])
		if auto && len(choices) > 0 {
			fe.add(join(p, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES", "Autocomplete cannot be enabled with choices")
		}
		validateChoices(fe, join(p, "choices"), choices)
	}
}
