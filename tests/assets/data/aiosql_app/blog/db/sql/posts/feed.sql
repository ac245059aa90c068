-- name: get-feed
WITH recent AS (SELECT id FROM posts ORDER BY id DESC LIMIT 10)
SELECT p.id, p.title, u.name
  FROM recent
  JOIN posts p ON p.id = recent.id
  JOIN users u ON u.id = p.author_id;

-- name: publish!
UPDATE posts SET published = true WHERE id = :id;
