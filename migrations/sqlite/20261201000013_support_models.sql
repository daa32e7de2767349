-- Support models (stödmodeller) as data: each is a knowledge matrix (`matris`), a catalogue
-- (`katalog`) or a phased guide (`fasguide`), living at `/{id}`. `structure` is JSON in the
-- import format: a catalogue's `{"kategorier": [{"id", "namn"}]}`, a guide's
-- `{"faser": [{"id", "namn", "beskrivning"}]}`, a matrix's `{}` (its axes are in the
-- `matrices` row with the model's id). The three models the site started with are seeded with
-- the values it showed; pivi entries and dialogue texts say which model they belong to.

CREATE TABLE support_models (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('matris', 'katalog', 'fasguide')),
    area        TEXT NOT NULL,
    name        TEXT NOT NULL,
    intro       TEXT NOT NULL,
    structure   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX support_models_by_position ON support_models (position);

INSERT INTO support_models (id, kind, area, name, intro, structure, position, created_at) VALUES
    ('stadsutveckling', 'matris', 'Stadsutveckling', 'Kunskapsmatris',
     'Systematiserad kunskap om Göteborgs mellanrum och stadsrum, med artiklar för fördjupning i varje ruta.',
     '{}', 0, 0),
    ('pivi', 'katalog', 'Social utveckling', 'pivi – projekt, idéer, verksamheter, inspiration',
     'Projekt och verksamheter inom socialt utvecklingsarbete i Göteborg som sticker ut och är värda att dela med sig av.',
     '{"kategorier": [{"id": "projekt", "namn": "Projekt"}, {"id": "ide", "namn": "Idé"}, {"id": "verksamhet", "namn": "Verksamhet"}, {"id": "inspiration", "namn": "Inspiration"}]}', 1, 0),
    ('medinflytande', 'fasguide', 'Medinflytande', 'Dialogverktyget',
     'Texter, checklistor och erfarenheter för dialogens fyra faser: förberedelser, inventering, genomförande och uppföljning.',
     '{"faser": [{"id": "forberedelser", "namn": "Förberedelser", "beskrivning": "Innan dialogen börjar: varför ska vi ha dialog, om vad, med vilka, och vad kan deltagarna faktiskt påverka? Här läggs syfte, avgränsningar och resurser fast."}, {"id": "inventering", "namn": "Inventering", "beskrivning": "Vilka berörs och vilka hörs sällan? Kartlägg aktörer, tidigare dialoger och den kunskap som redan finns i området, så att ingen grupp glöms bort."}, {"id": "genomforande", "namn": "Genomförande", "beskrivning": "Själva mötena: metoder och platser som gör det lätt att delta, tydliga ramar och dokumentation som deltagarna känner igen sig i."}, {"id": "uppfoljning", "namn": "Uppföljning", "beskrivning": "Efter dialogen: återkoppla vad som hände med synpunkterna, utvärdera processen och ta lärdomarna vidare till nästa gång."}]}', 2, 0);

ALTER TABLE pivi_entries ADD COLUMN model_id TEXT NOT NULL DEFAULT 'pivi';
CREATE INDEX pivi_entries_by_model ON pivi_entries (model_id, published);

ALTER TABLE dialogue_texts ADD COLUMN model_id TEXT NOT NULL DEFAULT 'medinflytande';
CREATE INDEX dialogue_texts_by_model ON dialogue_texts (model_id, phase);
