package news

import (
	"net/url"
	"slices"
	"strings"
)

// trackingParams are query parameters that say where a reader came from,
// not which page they read.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "igshid": true, "mc_cid": true,
	"mc_eid": true, "_ga": true, "_gl": true, "ref_src": true, "cmpid": true,
	"ocid": true, "smid": true, "s_cid": true, "ito": true, "at_medium": true,
	"at_campaign": true, "rss": true, "mkt_tok": true, "oly_enc_id": true,
	"oly_anon_id": true, "vero_id": true, "__twitter_impression": true,
}

// NormalizeURL returns the form of a page URL that two links to the same
// page share: scheme and host lower-cased, default port, fragment and
// tracking parameters (utm_*, fbclid, gclid and the like) removed, the
// remaining query parameters sorted, and an empty path made "/". It
// returns raw trimmed when raw is not an absolute http or https URL.
func NormalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	// A fully qualified name's trailing dots name the same host: all of
	// them go, before a port is added, so that the result normalises to
	// itself.
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			delete(q, k)
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	})
	var b strings.Builder
	for _, k := range keys {
		vs := q[k]
		slices.Sort(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	u.RawQuery = b.String()
	u.ForceQuery = false
	return u.String()
}
