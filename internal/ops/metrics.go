package ops

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/verbatim-bot/verbatim/news"
)

// namespace prefixes every series of ours.
const namespace = "verbatim"

// Label values the bot reports, created at zero so that rates and ratios
// over them exist before the first event.
var (
	questionVias      = []string{"command", "message", "button"}
	answerResults     = []string{"quoted", "no_answer"}
	declineReasons    = []string{"invalid", "cooldown", "unknown_article", "error"}
	digestSkipReasons = []string{"no_articles", "already_posted", "channel_broken", "given_up", "error"}
	feedPollResults   = []string{"ok", "not_modified", "error"}
	indexSyncKinds    = []string{"named", "full"}
)

// Metrics counts and times what the bot does, in a Prometheus registry of
// its own. Create it with NewMetrics; it is safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	answered       *prometheus.CounterVec
	declined       *prometheus.CounterVec
	answerSeconds  prometheus.Histogram
	autocomplete   prometheus.Histogram
	digestsPosted  prometheus.Counter
	digestsSkipped *prometheus.CounterVec
	reconnects     prometheus.Counter
	gatewayUp      prometheus.Gauge
	restErrors     *prometheus.CounterVec

	feedPolls      *prometheus.CounterVec
	feedAdded      prometheus.Counter
	feedDuplicates prometheus.Counter
	feedErrors     *prometheus.CounterVec

	indexSyncs *prometheus.HistogramVec
}

// NewMetrics makes the metrics of one process, labelled with its version
// in verbatim_build_info. The registry also holds the Go runtime's and the
// process's standard collectors.
func NewMetrics(version string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		answered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "questions_answered_total",
			Help: "Questions answered, by how they were asked (command, message, button) and result (quoted, no_answer).",
		}, []string{"via", "result"}),
		declined: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "questions_declined_total",
			Help: "Questions not answered, by how they were asked and why: invalid (empty, too long, no words), cooldown, unknown_article, error.",
		}, []string{"via", "reason"}),
		answerSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "answer_duration_seconds",
			Help:    "Time to find and render an answer, from the question to the reply ready to send.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 1.5, 2.5, 5, 10},
		}),
		autocomplete: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "autocomplete_duration_seconds",
			Help:    "Time to answer an autocomplete request, from its arrival to the choices handed to Discord.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		digestsPosted: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "digests_posted_total",
			Help: "Daily digests posted to a channel.",
		}),
		digestsSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "digests_skipped_total",
			Help: "Digests due but not posted, by reason: no_articles (nothing new), already_posted (a later firing the same day), channel_broken (Discord refuses the channel), given_up (an interrupted send too old to finish safely), error.",
		}, []string{"reason"}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "gateway_reconnects_total",
			Help: "Times the gateway came back (RESUMED or READY) after a disconnect.",
		}),
		gatewayUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "gateway_connected",
			Help: "1 while the gateway is connected (after READY or RESUMED), else 0.",
		}),
		restErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "discord_rest_errors_total",
			Help: `Discord REST calls answered with an HTTP error, by status ("429", "500", ...; "network" when no answer came).`,
		}, []string{"status"}),
		feedPolls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "feed_polls_total",
			Help: "Feed polls, by result: ok (fetched and read), not_modified (304), error.",
		}, []string{"result"}),
		feedAdded: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "feed_items_added_total",
			Help: "Articles stored from feeds and pages, new or updated in place.",
		}),
		feedDuplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "feed_duplicates_dropped_total",
			Help: "New feed items or pages found to be an article already stored (same page, or the same story) and not stored again.",
		}),
		feedErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "feed_fetch_errors_total",
			Help: "Failed fetches of feeds and pages, by kind: blocked, timeout, too_large, redirects, status, network, parse.",
		}, []string{"kind"}),
		indexSyncs: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "index_sync_duration_seconds",
			Help:    "Time to bring the index up to date with the corpus folder and the stored articles, by kind: named (the files the watcher or the feed poller named) or full (every file listed again: at start, or when the changes are not known).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"kind"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help:        "Always 1; the version label says which verbatim is running.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	m.reg.MustRegister(
		m.answered, m.declined, m.answerSeconds, m.autocomplete,
		m.digestsPosted, m.digestsSkipped, m.reconnects, m.gatewayUp, m.restErrors, build,
		m.feedPolls, m.feedAdded, m.feedDuplicates, m.feedErrors, m.indexSyncs,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, via := range questionVias {
		for _, r := range answerResults {
			m.answered.WithLabelValues(via, r)
		}
		for _, r := range declineReasons {
			m.declined.WithLabelValues(via, r)
		}
	}
	for _, r := range digestSkipReasons {
		m.digestsSkipped.WithLabelValues(r)
	}
	for _, r := range feedPollResults {
		m.feedPolls.WithLabelValues(r)
	}
	for _, k := range news.FetchKinds {
		m.feedErrors.WithLabelValues(k)
	}
	for _, k := range indexSyncKinds {
		m.indexSyncs.WithLabelValues(k)
	}
	return m
}

// Registry returns the registry the metrics live in, for tests and for
// registering more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics as Prometheus text (or the protobuf format,
// when the scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// WatchIndex adds gauges of the index's size, read from size at every
// scrape: verbatim_index_articles and verbatim_index_sentences. Call it
// once, when the index is loaded.
func (m *Metrics) WatchIndex(size func() (articles, sentences int)) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "index_articles", Help: "Articles in the index.",
		}, func() float64 { a, _ := size(); return float64(a) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "index_sentences", Help: "Sentences in the index.",
		}, func() float64 { _, s := size(); return float64(s) }),
	)
}

// QuestionAnswered counts an answered question and observes how long the
// answer took. via is how it was asked (command, message, button).
func (m *Metrics) QuestionAnswered(via string, noAnswer bool, took time.Duration) {
	result := "quoted"
	if noAnswer {
		result = "no_answer"
	}
	m.answered.WithLabelValues(via, result).Inc()
	m.answerSeconds.Observe(took.Seconds())
}

// QuestionDeclined counts a question that got no answer, and why.
func (m *Metrics) QuestionDeclined(via, reason string) {
	m.declined.WithLabelValues(via, reason).Inc()
}

// AutocompleteServed observes how long an autocomplete request took.
func (m *Metrics) AutocompleteServed(took time.Duration) {
	m.autocomplete.Observe(took.Seconds())
}

// GatewayConnected sets verbatim_gateway_connected.
func (m *Metrics) GatewayConnected(up bool) {
	if up {
		m.gatewayUp.Set(1)
	} else {
		m.gatewayUp.Set(0)
	}
}

// GatewayReconnected counts the gateway coming back after a disconnect.
func (m *Metrics) GatewayReconnected() { m.reconnects.Inc() }

// RESTError counts a Discord REST call answered with an HTTP error status,
// or, with status 0, one that got no answer at all.
func (m *Metrics) RESTError(status int) {
	label := "network"
	if status > 0 {
		label = strconv.Itoa(status)
	}
	m.restErrors.WithLabelValues(label).Inc()
}

// DigestPosted counts a digest posted to a channel.
func (m *Metrics) DigestPosted() { m.digestsPosted.Inc() }

// DigestSkipped counts a digest that was due but not posted, and why.
func (m *Metrics) DigestSkipped(reason string) {
	m.digestsSkipped.WithLabelValues(reason).Inc()
}

// IndexSynced observes a sync of the index with its folders that
// succeeded: kind is "named" (the files a change named) or "full" (every
// file listed).
func (m *Metrics) IndexSynced(kind string, took time.Duration) {
	m.indexSyncs.WithLabelValues(kind).Observe(took.Seconds())
}

// FeedPolled counts a feed poll by result ("ok", "not_modified",
// "error"); it implements news.Counters.
func (m *Metrics) FeedPolled(result string) { m.feedPolls.WithLabelValues(result).Inc() }

// FeedItemAdded counts an article stored from a feed or page.
func (m *Metrics) FeedItemAdded() { m.feedAdded.Inc() }

// FeedDuplicateDropped counts an item found to be an article already
// stored.
func (m *Metrics) FeedDuplicateDropped() { m.feedDuplicates.Inc() }

// FeedFetchFailed counts a failed fetch of a feed or page by kind.
func (m *Metrics) FeedFetchFailed(kind string) { m.feedErrors.WithLabelValues(kind).Inc() }

var _ news.Counters = (*Metrics)(nil)
