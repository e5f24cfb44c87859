// Package procstatus reads the process's own figures from Linux's
// /proc/self/status (resident memory and its high-water mark), for the
// benchmarks and the start-up measure; elsewhere it reports none.
package procstatus

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// KB returns the kB field of /proc/self/status named field ("VmRSS",
// "VmHWM"), and false where the system does not say.
func KB(field string) (int, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n, err == nil
		}
	}
	return 0, false
}
