-- The blog's tables. `erlen --app blog init-db` runs this file, which starts from scratch.

-- Write-ahead logging, a setting the file keeps: readers and the writer no longer wait for each
-- other, and a server's processes writing at once queue up instead of failing now and then with
-- "database is locked" or "disk I/O error".
PRAGMA journal_mode = WAL;

DROP TABLE IF EXISTS post;
DROP TABLE IF EXISTS user;

CREATE TABLE user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL
);

CREATE TABLE post (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL REFERENCES user (id) ON DELETE CASCADE,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M', 'now')),
    updated TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL
);

-- The order of the list pages, newest first: a page reads only the rows it shows.
CREATE INDEX post_created ON post (created DESC, id DESC);
