package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// loadQuestions are asked in turn by the steady-rate runs.
var loadQuestions = []string{
	"Who is Zalmy Khalilzad?",
	"What did Khalilzad call the talks?",
	"Where was the expanded follow-up meeting proposed?",
	"What did Khalilzad urge nations bordering Iraq to do?",
	"Who is Hoshyar Zebari?",
	"Where do Iraqi officials want the next meeting?",
	"What did Zebari say about Syria and Iran?",
	"When will the ministers meet?",
}

// loadResult is what a steady-rate run measured: the time from each
// question's dispatch to the bot's reply, and the questions never
// answered.
type loadResult struct {
	latencies []time.Duration
	asked     int
	dropped   int
}

func (r loadResult) percentile(p int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	d := slices.Sorted(slices.Values(r.latencies))
	return d[min(len(d)-1, len(d)*p/100)]
}

// runSteadyRate puts questions to the bot at rate per second for the
// duration, alternately as /ask interactions and as mentions, each from a
// user of its own (so that no cooldown applies), then waits for every
// reply. Dispatching never waits for replies: questions keep arriving on
// schedule however slowly the bot answers.
func runSteadyRate(tb testing.TB, h *harness, rate int, d time.Duration) loadResult {
	tb.Helper()
	n := int(d.Seconds() * float64(rate))
	type sent struct {
		at          time.Time
		interaction string // interaction id, or
		message     string // message id of a mention
	}
	out := make([]sent, 0, n)
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for i := range n {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		q := loadQuestions[i%len(loadQuestions)]
		user := &discordgo.User{ID: fmt.Sprintf("71%017d", i), Username: fmt.Sprintf("asker%d", i)}
		at := time.Now()
		if i%2 == 0 {
			in := h.fake.InteractionCreate(tb, &discordgo.Interaction{
				Type:   discordgo.InteractionApplicationCommand,
				Data:   discordgo.ApplicationCommandInteractionData{ID: "1", Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{strOpt("question", q)}},
				Member: &discordgo.Member{User: user},
			})
			out = append(out, sent{at: at, interaction: in.ID})
		} else {
			m := h.fake.MessageCreate(tb, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> " + q, Author: user})
			out = append(out, sent{at: at, message: m.ID})
		}
	}

	// Wait until every question has its reply, or the wait runs out.
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()
	replies := func() (map[string]time.Time, map[string]time.Time) {
		byInteraction := map[string]time.Time{}
		for _, r := range h.fake.InteractionResponses() {
			byInteraction[r.InteractionID] = r.Call.Time
		}
		byMessage := map[string]time.Time{}
		for _, c := range h.fake.CallsTo("POST", "channels/*/messages") {
			var body struct {
				Ref *struct {
					MessageID string `json:"message_id"`
				} `json:"message_reference"`
			}
			if c.Decode(&body) == nil && body.Ref != nil {
				byMessage[body.Ref.MessageID] = c.Time
			}
		}
		return byInteraction, byMessage
	}
	_ = h.fake.Until(ctx, func() bool {
		bi, bm := replies()
		return len(bi)+len(bm) >= n
	})
	bi, bm := replies()
	res := loadResult{asked: n}
	for _, s := range out {
		t, ok := bi[s.interaction]
		if s.message != "" {
			t, ok = bm[s.message]
		}
		if !ok {
			res.dropped++
			continue
		}
		res.latencies = append(res.latencies, t.Sub(s.at))
	}
	return res
}

// TestE2ESteadyRate asks 100 questions in one second through the fake
// Discord and checks that every one is answered; the timed version is
// BenchmarkE2ESteadyRate.
func TestE2ESteadyRate(t *testing.T) {
	h := startBot(t, nil)
	res := runSteadyRate(t, h, 100, time.Second)
	if res.dropped > 0 {
		t.Errorf("%d of %d questions got no reply\nlogs:\n%s", res.dropped, res.asked, lastLines(h.logs.String(), 20))
	}
}

// BenchmarkE2ESteadyRate puts 200 questions a second for 10 seconds
// through the fake Discord to a bot serving the default article (half /ask
// interactions, half mentions) and reports the time from dispatch to
// reply, p50-ms and p99-ms, and the questions dropped. One iteration is
// one run: use -benchtime 1x.
func BenchmarkE2ESteadyRate(b *testing.B) {
	const rate, dur = 200, 10 * time.Second
	for b.Loop() {
		b.StopTimer()
		h := startBot(b, nil)
		b.StartTimer()
		cpu0 := cpuTime()
		res := runSteadyRate(b, h, rate, dur)
		cpu := cpuTime() - cpu0
		b.StopTimer()
		// Processor time per question, the fake Discord's included: what
		// the figures mean when the machine is shared.
		b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(res.asked), "cpu-ms")
		b.ReportMetric(float64(res.percentile(50))/float64(time.Millisecond), "p50-ms")
		b.ReportMetric(float64(res.percentile(99))/float64(time.Millisecond), "p99-ms")
		b.ReportMetric(float64(res.dropped), "dropped")
		b.ReportMetric(float64(res.asked)/dur.Seconds(), "q/s-offered")
		b.StartTimer() // the bot stops in the harness's clean-up
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
