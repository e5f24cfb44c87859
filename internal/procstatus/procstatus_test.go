package procstatus

import (
	"runtime"
	"testing"
)

func TestKB(t *testing.T) {
	if _, ok := KB("NoSuchField"); ok {
		t.Error(`KB("NoSuchField") reported a figure`)
	}
	rss, ok := KB("VmRSS")
	if runtime.GOOS != "linux" {
		if ok {
			t.Errorf("KB(VmRSS) = %d on %s; want none", rss, runtime.GOOS)
		}
		return
	}
	if !ok || rss <= 0 {
		t.Fatalf("KB(VmRSS) = %d, %t; want the resident memory", rss, ok)
	}
	if hwm, ok := KB("VmHWM"); !ok || hwm < rss {
		t.Errorf("KB(VmHWM) = %d, %t; want at least VmRSS %d", hwm, ok, rss)
	}
}
