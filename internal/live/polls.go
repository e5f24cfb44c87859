package live

import (
	"context"

	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/state"
)

// PollStore is the part of the state store that keeps feeds' polling
// state.
type PollStore interface {
	FeedPoll(ctx context.Context, url string) (state.FeedPoll, bool, error)
	PutFeedPoll(ctx context.Context, p state.FeedPoll) error
}

// PollStates keeps news' polling state in the state store, so that it
// survives restarts and is shared by every process with STATE_URL.
type PollStates struct{ Store PollStore }

var _ news.PollStates = PollStates{}

// LoadPollState implements news.PollStates.
func (p PollStates) LoadPollState(ctx context.Context, feedURL string) (news.PollState, error) {
	fp, _, err := p.Store.FeedPoll(ctx, feedURL)
	if err != nil {
		return news.PollState{}, err
	}
	return news.PollState{
		ETag: fp.ETag, LastModified: fp.LastModified, LastSuccess: fp.LastSuccess,
		LastError: fp.LastError, LastErrorAt: fp.LastErrorAt, Failures: fp.Failures, NextPoll: fp.NextPoll,
	}, nil
}

// SavePollState implements news.PollStates.
func (p PollStates) SavePollState(ctx context.Context, feedURL string, st news.PollState) error {
	return p.Store.PutFeedPoll(ctx, state.FeedPoll{
		URL: feedURL, ETag: st.ETag, LastModified: st.LastModified, LastSuccess: st.LastSuccess,
		LastError: st.LastError, LastErrorAt: st.LastErrorAt, Failures: st.Failures, NextPoll: st.NextPoll,
	})
}
