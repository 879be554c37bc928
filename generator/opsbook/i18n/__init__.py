"""Words and numbers in zh-CN and English."""
