// Package pgtest gives tests a fresh PostgreSQL database each, on the
// server named by VERBATIM_TEST_POSTGRES (an admin URL: a user that may
// create databases). .ci/run starts a server for the run and sets it.
//
// Without the variable the tests that need PostgreSQL skip, saying how to
// run them; under CI (CI=true) they fail instead, so that CI never passes
// with them skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL is the variable that names the test server's admin URL.
const EnvURL = "VERBATIM_TEST_POSTGRES"

// AdminURL returns the admin URL of the test server, or skips the test
// (fails it under CI) when there is none.
func AdminURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvURL)
	if u != "" {
		return u
	}
	const how = "PostgreSQL tests need a server: set " + EnvURL +
		"=postgres://USER@HOST:PORT/postgres (a user that may create databases), or run .ci/run, which starts one"
	if os.Getenv("CI") == "true" {
		tb.Fatal(how + " (CI=true: not skipping)")
	}
	tb.Skip(how)
	return ""
}

// NewDatabase creates a fresh, empty database on the test server and
// returns its URL; it is dropped when the test ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	admin := AdminURL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	name := "verbatim_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("connect to the test server: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(tb, admin, name)
}

// WithDatabase returns a server URL with its database replaced.
func WithDatabase(tb testing.TB, serverURL, name string) string {
	tb.Helper()
	u, err := url.Parse(serverURL)
	if err != nil {
		tb.Fatalf("%s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}
