package ops

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Handler routes GET /healthz to health and GET /metrics to metrics; any
// other path is 404.
func Handler(health *Health, metrics *Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/healthz", health)
	mux.Handle("/metrics", metrics.Handler())
	return mux
}

// Server is an HTTP server bound to its address. Create it with Listen.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	log  *slog.Logger
	name string
	done chan struct{}
}

// shutdownGrace is how long Close lets requests in flight finish.
const shutdownGrace = 5 * time.Second

// Listen binds addr (host:port; port 0 picks a free one) and serves h on
// it in the background until Close. name says what the server is, in its
// log lines. Binding happens before Listen returns, so a port in use is
// an error here and not later.
func Listen(name, addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: listen on %s: %w", name, addr, err)
	}
	s := &Server{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      15 * time.Second,
			IdleTimeout:       time.Minute,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		},
		ln: ln, log: log, name: name, done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "server", name, "err", err)
		}
	}()
	log.Info("serving", "server", name, "addr", ln.Addr().String())
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL returns http://ADDR, for tests and logs.
func (s *Server) URL() string { return "http://" + s.Addr() }

// Close stops accepting requests, lets those in flight finish for a few
// seconds, then closes them, and waits for the server to stop.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, s.srv.Close())
	}
	<-s.done
	if err != nil {
		return fmt.Errorf("%s: shut down: %w", s.name, err)
	}
	return nil
}

// tighten makes the walked entry d at p its owner's (folders 0700, files
// 0600), reporting whether it changed it. An entry gone since it was
// listed needs nothing: the index may be open and merging its segments.
func tighten(p string, d fs.DirEntry, err error) (bool, error) {
	gone := func(err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if err != nil {
		return false, gone(err)
	}
	if d.Type()&fs.ModeSymlink != 0 {
		return false, nil
	}
	info, err := d.Info()
	if err != nil {
		return false, gone(err)
	}
	want := fs.FileMode(0o600)
	if d.IsDir() {
		want = 0o700
	}
	if info.Mode().Perm()&0o077 == 0 {
		return false, nil
	}
	if err := os.Chmod(p, info.Mode().Perm()&want); err != nil {
		return false, gone(err)
	}
	return true, nil
}

// PrivateDir creates dir when missing and makes it and everything in it
// readable by its owner only: folders 0700, files 0600. It reports what
// it tightened through log, at debug level. Symbolic links are left alone
// (and not followed).
func PrivateDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder %s: %w", dir, err)
	}
	tightened := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		changed, err := tighten(p, d, err)
		if changed {
			tightened++
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("data folder %s: make private: %w", dir, err)
	}
	if tightened > 0 {
		log.Debug("data folder made private to its owner", "dir", dir, "changed", tightened)
	}
	return nil
}
