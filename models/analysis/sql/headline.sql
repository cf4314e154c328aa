-- The confirmatory results' sentences (what the report leads with), in the order they were
-- written: read by the analysis asset for its metadata, whether the results were refitted or kept.
select sentence
from analysis.model_results
where hypothesis = 'confirmatory';
