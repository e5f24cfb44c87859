// Package digest is the daily digest: which articles a digest holds
// ([Select]), when each subscribed channel gets one (the [Scheduler]: once
// a local day, catching up what fell due while the bot was down, across
// daylight-saving changes), and the subscriptions themselves.
//
// # Once a day, once only
//
// A channel's digest for a local day is a [state.Delivery] keyed by the
// channel and the date. It is claimed in the store before it is sent and
// sent with a nonce made from the channel and the date ([Nonce]), which
// Discord enforces for a few minutes. A process killed between sending and
// recording leaves the delivery pending: the next process to claim it
// (after the claim's lease, or at once when the store is a bbolt file
// nobody else can hold) sends it again with the same nonce, and Discord
// answers with the message already posted. Past the nonce's protection it
// is given up rather than risk a second post; its articles come in the
// next digest. With a store shared by several processes (PostgreSQL), the
// claim is what makes two processes firing at the same instant post once.
//
// # Talking to Discord
//
// The package never speaks Discord: it asks a [Poster] (package bot
// provides it) to look a channel up, post a digest with a nonce and open a
// thread, and learns from [ErrChannelGone] that Discord refuses a channel
// for good.
package digest
