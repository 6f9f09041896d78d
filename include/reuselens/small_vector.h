// A vector that keeps its first N elements inline.
//
// A graph node reads one or two tensors, writes one, holds a kernel and a
// bias, and carries a handful of two-element attributes (strides, kernel
// size). With std::vector each of those lists is a heap allocation, and the
// zoo's 9,000 nodes spent a third of their build time in malloc and free.
// This type stores up to N elements in place and moves to the heap only past
// that; it offers the part of std::vector's interface the IR uses.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace reuselens {

template <typename T, size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>, "SmallVector holds plain values only");

 public:
  using value_type = T;
  using size_type = size_t;
  using iterator = T*;
  using const_iterator = const T*;
  using reference = T&;
  using const_reference = const T&;

  SmallVector() = default;
  SmallVector(std::initializer_list<T> values) { assign(values.begin(), values.end()); }
  template <std::input_iterator It>
  SmallVector(It first, It last) {
    assign(first, last);
  }
  // Implicit, so that code holding a std::vector (an importer's attribute
  // values, a test's expected list) can assign it directly.
  SmallVector(const std::vector<T>& values) {  // NOLINT(google-explicit-constructor)
    assign(values.begin(), values.end());
  }
  SmallVector(size_t count, const T& value) { resize(count, value); }

  size_t size() const { return on_heap() ? heap_.size() : size_; }
  bool empty() const { return size() == 0; }
  T* data() { return on_heap() ? heap_.data() : inline_.data(); }
  const T* data() const { return on_heap() ? heap_.data() : inline_.data(); }
  iterator begin() { return data(); }
  iterator end() { return data() + size(); }
  const_iterator begin() const { return data(); }
  const_iterator end() const { return data() + size(); }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& at(size_t i) {
    check(i);
    return data()[i];
  }
  const T& at(size_t i) const {
    check(i);
    return data()[i];
  }
  T& front() { return data()[0]; }
  const T& front() const { return data()[0]; }
  T& back() { return data()[size() - 1]; }
  const T& back() const { return data()[size() - 1]; }

  void push_back(const T& value) {
    if (!on_heap() && size_ < N) {
      inline_[size_++] = value;
      return;
    }
    if (!on_heap()) spill(N + 1);
    heap_.push_back(value);
  }
  void pop_back() {
    if (on_heap()) {
      heap_.pop_back();
    } else {
      --size_;
    }
  }
  void reserve(size_t count) {
    if (on_heap()) {
      heap_.reserve(count);
    } else if (count > N) {
      spill(count);
    }
  }
  void resize(size_t count, const T& value = T{}) {
    if (on_heap()) {
      heap_.resize(count, value);
      return;
    }
    if (count > N) {
      spill(count);
      heap_.resize(count, value);
      return;
    }
    for (size_t i = size_; i < count; ++i) inline_[i] = value;
    size_ = count;
  }
  void clear() {
    heap_.clear();
    size_ = 0;
  }
  iterator insert(const_iterator position, const T& value) {
    const size_t at_index = static_cast<size_t>(position - begin());
    push_back(value);
    std::rotate(begin() + at_index, end() - 1, end());
    return begin() + at_index;
  }
  template <std::input_iterator It>
  void assign(It first, It last) {
    clear();
    if constexpr (std::forward_iterator<It>)
      reserve(static_cast<size_t>(std::distance(first, last)));
    for (; first != last; ++first) push_back(*first);
  }

  operator std::span<const T>() const { return {data(), size()}; }  // NOLINT
  std::vector<T> to_vector() const { return {begin(), end()}; }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator==(const SmallVector& a, const std::vector<T>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  // Once spilled, the elements stay on the heap (its capacity marks it).
  bool on_heap() const { return heap_.capacity() != 0; }
  void spill(size_t capacity) {
    heap_.reserve(std::max(capacity, 2 * N));
    heap_.assign(inline_.begin(), inline_.begin() + size_);
    size_ = 0;  // a moved-from heap vector then reads as empty
  }
  void check(size_t i) const {
    if (i >= size()) throw std::out_of_range("SmallVector index out of range");
  }

  std::array<T, N> inline_{};
  size_t size_ = 0;
  std::vector<T> heap_;
};

}  // namespace reuselens
