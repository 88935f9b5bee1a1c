"""Files written from a campaign's results: the 季度考核通报 (.docx, 公文 format) and the XLSX for the
city's 高质量发展绩效考核. Both read through ``visible_to`` and are offered only where
``services.results.results_visible`` allows."""
