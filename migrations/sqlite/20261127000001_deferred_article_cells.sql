-- Article links to matrix cells are checked at commit, not per statement, so one import
-- can remove a cell and move the articles that linked to it in the same transaction.
CREATE TABLE article_cells_new (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    matrix_id   TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    column_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, matrix_id, row_id, column_id),
    FOREIGN KEY (matrix_id, row_id, column_id)
        REFERENCES matrix_cells (matrix_id, row_id, column_id) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO article_cells_new SELECT article_id, matrix_id, row_id, column_id, position FROM article_cells;
DROP TABLE article_cells;
ALTER TABLE article_cells_new RENAME TO article_cells;
CREATE INDEX article_cells_by_cell ON article_cells (matrix_id, row_id, column_id);
