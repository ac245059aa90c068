CREATE TABLE fixture_only (id integer);
INSERT INTO user (username) VALUES ('test');
