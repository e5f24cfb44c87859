package boltfile

import (
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	sound := filepath.Join(dir, "sound.db")
	db, err := bolt.Open(sound, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range 2000 {
			if err := b.Put([]byte{byte(i), byte(i >> 8)}, make([]byte, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	full, err := os.ReadFile(sound)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		name string
		path string
		bad  bool
	}{
		{"sound", sound, false},
		{"missing", filepath.Join(dir, "missing.db"), false},
		{"empty", write("empty.db", nil), false},
		{"not bbolt (left to bbolt)", write("junk.db", []byte("not a database")), false},
		{"cut to a third", write("third.db", full[:len(full)/3]), true},
		{"cut to two pages", write("two.db", full[:8192]), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := Check(tt.path); (err != nil) != tt.bad {
				t.Errorf("Check = %v; want an error %v", err, tt.bad)
			}
		})
	}
}
