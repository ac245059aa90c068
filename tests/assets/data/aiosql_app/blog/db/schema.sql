CREATE TABLE users (
    id serial PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE IF NOT EXISTS "posts" (
    id serial PRIMARY KEY,
    author_id integer REFERENCES users (id),
    title text,
    published boolean DEFAULT false
);
