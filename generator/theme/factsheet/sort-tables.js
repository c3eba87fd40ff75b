// Tables marked fs-sortable sort by a click (or Enter) on a column's heading, with tablesort.
// Each cell's data-sort holds the value it sorts by: an ISO date, or a number.
document.querySelectorAll("table.fs-sortable").forEach(function (table) {
  new Tablesort(table);
});
