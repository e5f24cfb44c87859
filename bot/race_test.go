//go:build race

package bot

// raceEnabled reports a build with the race detector, which makes the
// bot and the fake Discord several times slower: tests that measure time
// ask less of them.
const raceEnabled = true
