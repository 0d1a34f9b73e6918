// Put the cursor in the search box when the recipe list opens.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("input[name=q]");
  if (box) {
    box.focus();
  }
});
