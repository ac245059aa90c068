-- name: get-user-by-id^
-- A docstring of the query: nothing from this comment is a table.
SELECT id, name
  FROM users
 WHERE id = :id;


-- name: create-user<!
INSERT INTO users (name) VALUES (:name) RETURNING id;
