-- Folds Vietnamese text for search: lower case, diacritics removed, đ→d. unaccent() itself is STABLE
-- and refused in indexes; naming the dictionary makes this wrapper safely IMMUTABLE.
CREATE OR REPLACE FUNCTION public.vanthu_fold(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;
