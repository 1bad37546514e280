-- vvgintake ledger: a strategy per consultation.
--
-- A VVG consults on more than one strategy over the years (2023–2027,
-- then 2028–2034), each with its own measures (priemonės). A
-- consultation names the measure set its suggestions are filed under,
-- as the configuration's [[strategies]] call it; '' is the default set
-- (the configuration's top-level [[measures]]), which is what every
-- consultation recorded before this version used.
ALTER TABLE consultations ADD COLUMN strategy TEXT NOT NULL DEFAULT '';
