"""Source statistics: series from published collections (A&E ...), successions, intervals."""
