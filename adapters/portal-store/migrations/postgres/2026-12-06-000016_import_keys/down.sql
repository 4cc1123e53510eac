DROP TABLE import_keys;
