package bot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Buttons carry their state in their custom id, so they keep working after
// a restart and on any replica: the action and its arguments, when the
// button was made, and a MAC over all of it under a key derived from the
// bot token. A custom id is at most 100 characters.
//
//	v1.<action>.<arg>.<arg>.<unix seconds, base 36>.<mac>
//
// The MAC covers the question the "More" button re-asks (read back from
// the message the button sits under) so that editing the message or the id
// is detected.

// buttonAction is what a button does.
type buttonAction string

const (
	actionMore    buttonAction = "m" // the next quotes of the same question
	actionContext buttonAction = "c" // the paragraph around a quote
)

// buttonTTL is how long a button works. Past it, pressing it gets a polite
// "this button has expired".
const buttonTTL = 30 * 24 * time.Hour

// Errors of a button's custom id.
var (
	errButtonExpired  = errors.New("button expired")
	errButtonTampered = errors.New("button id not valid")
)

// buttonID is a decoded custom id.
type buttonID struct {
	action buttonAction
	args   []string
	made   time.Time
}

// buttonSigner makes and checks button custom ids.
type buttonSigner struct {
	key []byte
}

// newButtonSigner derives the MAC key from the bot token, which every
// process of one bot shares and which is secret; a new token makes old
// buttons expire.
func newButtonSigner(token string) *buttonSigner {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("verbatim button ids v1"))
	return &buttonSigner{key: m.Sum(nil)}
}

func (s *buttonSigner) mac(payload, bound string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(payload))
	m.Write([]byte{0})
	m.Write([]byte(bound))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}

// encode makes a custom id. bound is data the id is valid for without
// carrying it (the question under a "More" button). args must not hold
// dots.
func (s *buttonSigner) encode(action buttonAction, now time.Time, bound string, args ...string) string {
	payload := "v1." + string(action) + "." + strings.Join(args, ".") + "." + strconv.FormatInt(now.Unix(), 36)
	return payload + "." + s.mac(payload, bound)
}

// decode checks a custom id against bound and the clock. It returns
// errButtonTampered for an id it did not make (or made for other data) and
// errButtonExpired for one older than buttonTTL.
func (s *buttonSigner) decode(id string, now time.Time, bound string) (buttonID, error) {
	if len(id) > 100 {
		return buttonID{}, errButtonTampered
	}
	dot := strings.LastIndexByte(id, '.')
	if dot < 0 {
		return buttonID{}, errButtonTampered
	}
	payload, mac := id[:dot], id[dot+1:]
	if !hmac.Equal([]byte(mac), []byte(s.mac(payload, bound))) {
		return buttonID{}, errButtonTampered
	}
	parts := strings.Split(payload, ".")
	if len(parts) < 3 || parts[0] != "v1" {
		return buttonID{}, errButtonTampered
	}
	secs, err := strconv.ParseInt(parts[len(parts)-1], 36, 64)
	if err != nil {
		return buttonID{}, errButtonTampered
	}
	b := buttonID{action: buttonAction(parts[1]), args: parts[2 : len(parts)-1], made: time.Unix(secs, 0)}
	if now.Sub(b.made) > buttonTTL || b.made.Sub(now) > time.Hour {
		return buttonID{}, errButtonExpired
	}
	return b, nil
}

// articleKey is a short, stable stand-in for an article id in a custom id
// (article ids are file names, of any length).
func articleKey(id string) string {
	h := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(h[:8])
}

// intArg parses a small non-negative integer argument.
func intArg(s string) (int, error) {
	n, err := strconv.ParseUint(s, 36, 16)
	if err != nil {
		return 0, fmt.Errorf("bad argument %q", s)
	}
	return int(n), nil
}

func fmtInt(n int) string { return strconv.FormatUint(uint64(n), 36) }
