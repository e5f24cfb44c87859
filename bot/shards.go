package bot

import "strconv"

// servesGuild reports whether the process of shard shardID among
// shardCount serves a guild: a guild belongs to shard
// (guild_id >> 22) % shard_count, the shard Discord sends its events to,
// and DMs (no guild) to shard 0. Only that process answers the guild's
// messages and posts its digests; an id that is not a snowflake belongs
// to none.
func servesGuild(guildID string, shardID, shardCount int) bool {
	if shardCount <= 1 {
		return true
	}
	if guildID == "" {
		return shardID == 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return false
	}
	return int((id>>22)%uint64(shardCount)) == shardID
}
